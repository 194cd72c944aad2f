// OpenBLAS's cblas.h also declares openblas_set_num_threads, which the engine
// needs to keep BLAS single-threaded while it splits work across its own threads.
#include <cblas.h>
