# InfoPatient: a static binary on a small non-root image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# TAGS leaves out the database an instance does not use: no_sqlite for
# instances on PostgreSQL, no_postgres for one on SQLite (docs/deploy.md,
# "Memory"). Empty, the image runs on either.
ARG TAGS=""
RUN CGO_ENABLED=0 go build -tags "$TAGS" -trimpath -ldflags="-s -w" -o /out/infopatient ./cmd/infopatient \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/infopatient /usr/local/bin/infopatient
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV INFOPATIENT_ADDR=0.0.0.0:8080 \
    INFOPATIENT_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/infopatient"]
CMD ["serve"]
