# Two entry points for a fresh Debian machine with Swift: `make demo` and `make test`.
# Both install OpenBLAS first when it is missing.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test bench clean

# OpenBLAS and pkg-config, from Debian's packages, only when absent.
deps:
	@if ! pkg-config --exists openblas 2>/dev/null; then \
		echo "Installing OpenBLAS (libopenblas-dev, pkg-config)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libopenblas-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build -c release --product glidn

demo: build
	.build/release/glidn demo

test: deps
	$(SWIFT) test -c release

clean:
	rm -rf .build
