module swiftlet.dev/clients/go

go 1.19
