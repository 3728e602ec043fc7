# One image for both tools: static wrklint and wrkrun on a distroless base.
# deploy/kubernetes/job.yaml runs /wrkrun from it. Build from the
# repository root:
#
#   docker build -t wrklint .
#   docker run --rm -v "$PWD:/work" -w /work wrklint /wrklint scripts/
#   docker run --rm --network host wrklint /wrkrun -t 2 -c 20 -d 10s http://127.0.0.1:8080/
#
# The runtime image holds nothing but the two binaries: no shell, no
# package manager, user 65532 (numeric, so that Kubernetes' runAsNonRoot
# can verify it). internal/packaging's tests check this file and run the
# build stage's commands.

FROM golang:1.24 AS build
WORKDIR /src
# Modules first: a layer that changes only with go.mod and go.sum.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO off: static binaries that need no libc in the runtime image.
ENV CGO_ENABLED=0
RUN go build -trimpath -ldflags="-s -w" -o /out/wrklint ./cmd/wrklint
RUN go build -trimpath -ldflags="-s -w" -o /out/wrkrun ./cmd/wrkrun

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/wrklint /wrklint
COPY --from=build /out/wrkrun /wrkrun
USER 65532:65532
CMD ["/wrklint", "--help"]
