# Convenience entry points; the build itself is CMake (see README.md).
#   make example          build, then convert examples/article.xml into every format
#   make check            build, then run the whole test suite (what CI runs)
#   make check-sanitize   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench            conversion benchmarks on an optimised build, then
#                         crosswalk batch on 1,000 articles at -j 1 and -j 2
#   make scale            10^3..10^6 records through the main paths: time and
#                         peak memory per size (SCALE_MAX=100000 skips 10^6)
#   make deps             install the Debian packages the build and tests need
#   make long-functions   list the functions over 100 lines (a report, not a gate)
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps build example check check-sanitize bench scale clean

all: build

deps:
	@tools/install-deps

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

example: build
	examples/convert-article.sh $(BUILD)/crosswalk $(BUILD)/examples
	@echo && echo "wrote:" && ls -1 $(BUILD)/examples/* && echo && cat $(BUILD)/examples/article.bib

check: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

check-sanitize: deps
	cmake -S . -B $(BUILD)-sanitize -DCW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)
	cmake --build $(BUILD)-sanitize -j $(JOBS)
	ctest --test-dir $(BUILD)-sanitize --output-on-failure -j $(JOBS)

bench: deps
	cmake -S . -B $(BUILD)-release -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD)-release -j $(JOBS) --target bench
	cmake --build $(BUILD)-release -j $(JOBS) --target bench-batch

scale: deps
	cmake -S . -B $(BUILD)-release -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	SCALE_MAX="$(SCALE_MAX)" SCALE_PATHS="$(SCALE_PATHS)" cmake --build $(BUILD)-release -j $(JOBS) --target scale

clean:
	rm -rf $(BUILD) $(BUILD)-sanitize $(BUILD)-release

.PHONY: long-functions
long-functions:
	@tools/long-functions.py
