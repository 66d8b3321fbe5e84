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

# The main job until the web portal exists: build the shipped example index
# (COINr's ASEM example) and the GCI 2020 index from its published pillar
# scores, and print the ranking tables.
run: build
	@mkdir -p $(RUNDIR)
	$(GCA) build --data data/examples/asem_iData.csv \
	    --meta data/frameworks/asem.json \
	    --method data/examples/asem_method.json --out $(RUNDIR)/asem
	@echo "== ASEM example index (COINr's standard build), top-level scores and ranks =="
	@$(GCA) results --data data/examples/asem_iData.csv \
	    --meta data/frameworks/asem.json \
	    --method data/examples/asem_method.json --tab-type summ --also-get uName
	@echo
	@echo "== GCI 2020, overall score rebuilt as the sum of the five published pillar scores (dense ranks) =="
	@$(GCA) results --data data/published/gci2020.csv \
	    --meta data/frameworks/gci.json --data-level 2 \
	    --exclude GCI_published,Rank_published,source --tab-type full \
	    --also-get uName
	@echo "(source: ITU Global Cybersecurity Index 2020; see data/README.md)"

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
