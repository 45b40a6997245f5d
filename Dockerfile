# One image per service: docker build --build-arg SERVICE=catalog -t flotilla-catalog .
# The builder makes a fully static binary (scripts/build-static: libpq and libcurl built
# from Debian's sources, the Swift runtime linked in) and the root filesystem it needs;
# the image is that and nothing else.
ARG SWIFT_IMAGE=swift:6.3-bookworm

FROM ${SWIFT_IMAGE} AS build
ARG SERVICE
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# Versions come from the pinned base image's Debian release; deb-src is enabled for
# `apt-get source` (libpq, curl).
# hadolint ignore=DL3008
RUN sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources \
    && apt-get update \
    && apt-get install -y --no-install-recommends \
        build-essential dpkg-dev pkg-config ca-certificates tzdata file \
        libssl-dev zlib1g-dev libhiredis-dev libpq-dev libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN test -n "${SERVICE}" && scripts/build-static "${SERVICE}" /rootfs

FROM scratch
ARG SERVICE
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="flotilla-${SERVICE}" \
      org.opencontainers.image.description="Flotilla ${SERVICE} service" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/flotilla/flotilla"
COPY --from=build /rootfs/ /
USER 65532:65532
EXPOSE 8080
ENV PORT=8080 HOST=0.0.0.0 LOG_FORMAT=json TZDIR=/usr/share/zoneinfo
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD ["/usr/local/bin/service", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/service"]
