#include "golden_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", path); return NULL; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(buf); fprintf(stderr, "cannot read %s\n", path); return NULL; }
    fclose(f);
    buf[n] = '\0';
    *size = (size_t)n;
    return buf;
}

int npy_read(const char *path, npy_array *out) {
    size_t size;
    char *buf = read_file(path, &size);
    if (!buf) return -1;
    memset(out, 0, sizeof *out);
    if (size < 10 || memcmp(buf, "\x93NUMPY", 6) != 0) { fprintf(stderr, "%s is not .npy\n", path); free(buf); return -1; }
    size_t header_len, start;
    if (buf[6] == 1) { header_len = (unsigned char)buf[8] | (size_t)(unsigned char)buf[9] << 8; start = 10; }
    else { header_len = (unsigned char)buf[8] | (size_t)(unsigned char)buf[9] << 8 | (size_t)(unsigned char)buf[10] << 16 | (size_t)(unsigned char)buf[11] << 24; start = 12; }
    char *header = malloc(header_len + 1);
    memcpy(header, buf + start, header_len);
    header[header_len] = '\0';
    const char *d = strstr(header, "'descr': '");
    const char *s = strstr(header, "'shape': (");
    if (!d || !s || strstr(header, "'fortran_order': True")) { fprintf(stderr, "%s: unsupported header %s\n", path, header); free(header); free(buf); return -1; }
    d += 10;
    size_t k = 0;
    while (*d && *d != '\'' && k < sizeof out->dtype - 1) out->dtype[k++] = *d++;
    s += 10;
    out->count = 1;
    while (*s && *s != ')') {
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s) { s++; continue; }
        out->shape[out->rank++] = v;
        out->count *= v;
        s = end;
    }
    free(header);
    size_t elem = strcmp(out->dtype, "<f4") == 0 ? 4 : strcmp(out->dtype, "<i8") == 0 ? 8 : 0;
    if (!elem || start + header_len + out->count * elem > size) { fprintf(stderr, "%s: dtype %s or size unsupported\n", path, out->dtype); free(buf); return -1; }
    out->data = malloc(out->count * elem + 1);
    memcpy(out->data, buf + start + header_len, out->count * elem);
    free(buf);
    return 0;
}

void npy_free(npy_array *a) { free(a->data); a->data = NULL; }

static void put_utf8(char *out, size_t *n, unsigned long cp) {
    if (cp < 0x80) out[(*n)++] = (char)cp;
    else if (cp < 0x800) { out[(*n)++] = (char)(0xC0 | cp >> 6); out[(*n)++] = (char)(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) { out[(*n)++] = (char)(0xE0 | cp >> 12); out[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3F)); out[(*n)++] = (char)(0x80 | (cp & 0x3F)); }
    else { out[(*n)++] = (char)(0xF0 | cp >> 18); out[(*n)++] = (char)(0x80 | (cp >> 12 & 0x3F)); out[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3F)); out[(*n)++] = (char)(0x80 | (cp & 0x3F)); }
}

/* Decodes the JSON string starting after the opening quote at *p. */
static char *json_string(const char **p, size_t *len) {
    const char *s = *p;
    char *out = malloc(strlen(s) * 2 + 4);
    size_t n = 0;
    while (*s && *s != '"') {
        if (*s != '\\') { out[n++] = *s++; continue; }
        s++;
        switch (*s) {
        case 'n': out[n++] = '\n'; s++; break;
        case 't': out[n++] = '\t'; s++; break;
        case 'r': out[n++] = '\r'; s++; break;
        case 'b': out[n++] = '\b'; s++; break;
        case 'f': out[n++] = '\f'; s++; break;
        case 'u': {
            unsigned long cp = strtoul((char[]){s[1], s[2], s[3], s[4], 0}, NULL, 16);
            s += 5;
            if (cp >= 0xD800 && cp < 0xDC00 && s[0] == '\\' && s[1] == 'u') {
                unsigned long lo = strtoul((char[]){s[2], s[3], s[4], s[5], 0}, NULL, 16);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                s += 6;
            }
            put_utf8(out, &n, cp);
            break;
        }
        default: out[n++] = *s++; break;  /* \" \\ \/ */
        }
    }
    *p = s;
    *len = n;
    return out;
}

static int for_each_line(const char *path, int (*fn)(const char *line, void *ctx), void *ctx) {
    size_t size;
    char *buf = read_file(path, &size);
    if (!buf) return -1;
    char *line = buf;
    int rc = 0;
    while (*line && rc == 0) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        if (*line) rc = fn(line, ctx);
        if (!nl) break;
        line = nl + 1;
    }
    free(buf);
    return rc;
}

static int add_text(const char *line, void *ctx) {
    text_list *t = ctx;
    const char *p = strstr(line, "\"text\": \"");
    if (!p) { fprintf(stderr, "line without \"text\": %s\n", line); return -1; }
    p += 9;
    t->texts = realloc(t->texts, (t->count + 1) * sizeof *t->texts);
    t->lengths = realloc(t->lengths, (t->count + 1) * sizeof *t->lengths);
    t->texts[t->count] = json_string(&p, &t->lengths[t->count]);
    t->count++;
    return 0;
}

int jsonl_read_texts(const char *path, text_list *out) {
    memset(out, 0, sizeof *out);
    return for_each_line(path, add_text, out);
}

void text_list_free(text_list *t) {
    for (size_t i = 0; i < t->count; i++) free(t->texts[i]);
    free(t->texts);
    free(t->lengths);
}

static int add_ids(const char *line, void *ctx) {
    id_list *l = ctx;
    const char *p = strstr(line, "\"ids\": [");
    if (!p) { fprintf(stderr, "line without \"ids\": %s\n", line); return -1; }
    p += 8;
    int32_t *ids = NULL;
    size_t n = 0;
    while (*p && *p != ']') {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p) { p++; continue; }
        ids = realloc(ids, (n + 1) * sizeof *ids);
        ids[n++] = (int32_t)v;
        p = end;
    }
    l->ids = realloc(l->ids, (l->count + 1) * sizeof *l->ids);
    l->lengths = realloc(l->lengths, (l->count + 1) * sizeof *l->lengths);
    l->ids[l->count] = ids;
    l->lengths[l->count] = n;
    l->count++;
    return 0;
}

int jsonl_read_ids(const char *path, id_list *out) {
    memset(out, 0, sizeof *out);
    return for_each_line(path, add_ids, out);
}

void id_list_free(id_list *l) {
    for (size_t i = 0; i < l->count; i++) free(l->ids[i]);
    free(l->ids);
    free(l->lengths);
}

char *file_read_all(const char *path, size_t *size) { return read_file(path, size); }

/* The reference files are json.dump output: "lines" is the last key, and each line
 * object holds "box" (4 [x, y] pairs), "text" and "score", in that order. */
int ocr_ref_read(const char *path, ocr_ref *out) {
    memset(out, 0, sizeof *out);
    size_t size, n;
    char *buf = read_file(path, &size);
    if (!buf) return -1;
    const char *image = strstr(buf, "\"image\": \""), *preset = strstr(buf, "\"preset\": \""), *p = strstr(buf, "\"lines\": [");
    if (!image || !preset || !p) { fprintf(stderr, "%s: no image, preset or lines\n", path); free(buf); return -1; }
    image += 10;
    out->image = json_string(&image, &n);
    out->image[n] = '\0';
    preset += 11;
    out->preset = json_string(&preset, &n);
    out->preset[n] = '\0';
    while ((p = strstr(p, "\"box\": [")) != NULL) {
        ocr_line_ref line;
        p += 8;
        for (int k = 0; k < 8; k++) {
            while (*p == '[' || *p == ',' || *p == ' ' || *p == ']') p++;
            char *end;
            line.box[k] = strtof(p, &end);
            if (end == p) { fprintf(stderr, "%s: bad box\n", path); free(buf); ocr_ref_free(out); return -1; }
            p = end;
        }
        const char *t = strstr(p, "\"text\": \"");
        if (!t) { fprintf(stderr, "%s: line without text\n", path); free(buf); ocr_ref_free(out); return -1; }
        p = t + 9;
        line.text = json_string(&p, &line.length);
        line.text[line.length] = '\0';
        out->lines = realloc(out->lines, (out->count + 1) * sizeof *out->lines);
        out->lines[out->count++] = line;
    }
    free(buf);
    return 0;
}

void ocr_ref_free(ocr_ref *r) {
    for (size_t i = 0; i < r->count; i++) free(r->lines[i].text);
    free(r->lines);
    free(r->image);
    free(r->preset);
    memset(r, 0, sizeof *r);
}
