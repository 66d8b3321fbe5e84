# Thin targets over CMake (see README.md). `make run` and `make test` first
# install whatever Debian packages are missing (scripts/setup, deps.txt).
BUILD  ?= build
ASAN   ?= build-asan
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE  ?= cmake
PREFIX ?= /usr/local
GCA     = $(BUILD)/gca
RUNDIR  = $(BUILD)/run

.PHONY: all setup build run test test-unit test-asan bench fuzz install clean

all: build

setup:
	@scripts/setup

$(BUILD)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: setup $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS)

# The main job: the portal (gca serve) on a database made from the data
# built into gca (frameworks, GCI 2020 as published, the knowledge base),
# at http://127.0.0.1:8080/ until Ctrl-C. GCA_LISTEN=ADDR:PORT moves it.
GCA_LISTEN ?= 127.0.0.1:8080
run: build
	@mkdir -p $(RUNDIR)
	$(GCA) db init --db $(RUNDIR)/gca.db
	@echo "== gca serve: open http://$(GCA_LISTEN)/ (Ctrl-C stops it) =="
	$(GCA) serve --db $(RUNDIR)/gca.db --listen $(GCA_LISTEN)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-asan

# The same suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan: setup
	$(CMAKE) -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DGCA_SANITIZE=ON \
	    -DGCA_BUILD_BENCH=OFF
	$(CMAKE) --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure -j $(JOBS)

bench: build
	bench/run.sh $(BUILD)

FUZZ_SECONDS ?= 600
fuzz: setup
	fuzz/run.sh $(FUZZ_SECONDS)

install: build
	$(CMAKE) --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz
