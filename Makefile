# opsbook — a plain Makefile of verbs. `make help` lists them.
#   make            install what building needs, build build/opsbook
#   make test       install what is missing, build, run every test (SAN=1: ASan + UBSan)
#   make demo       install, build, scan examples/platform
#   make bench      files/s, MB/s and peak memory on a generated corpus, beside the floor;
#                   commits/s and MB/s of --history on a generated 1,000-commit repository;
#                   time and memory of the pathological inputs (tools/bench_hostile.sh)
#   make bench-ir   instructions of the floor and of a scan (callgrind): steady on a busy VM
#   make realworld  scan the pinned public repositories (tools/realworld/) for docs/precision.md
#   make fuzz       libFuzzer: every loader, and whole scans of small repositories (clang);
#                   FUZZ_SECONDS a target (make test runs each for 30 s)
#   make lint       flag unsafe C library calls;  make format: clang-format the sources
#   make install    the binary, opsbook(1) and bash/zsh/fish completions under
#                   $(DESTDIR)$(PREFIX) (PREFIX=/usr/local);  make uninstall removes them
#   make deb        build/opsbook_VERSION_ARCH.deb (dpkg-deb; Depends from dpkg-shlibdeps)

SHELL := /bin/bash
CC ?= cc
SAN ?= 0
BENCH_SERVICES ?= 200

ifeq ($(SAN),1)
  B := build/san
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  SANLD := -fsanitize=address,undefined
else
  B := build/rel
  OPT := -O2 -g
  SANLD :=
endif

PKGS := yaml-0.1 jansson libgit2 libpcre2-8 libcmark-gfm
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions
WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wno-format-nonliteral -Werror
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -I. -I$(B)/gen $(PKG_CFLAGS) -MMD -MP
LDLIBS_ALL = $(SANLD) $(PKG_LIBS) -lpthread -lm

LAYERS := core discover parse model lint render
LIB_SRC := $(foreach d,$(LAYERS),$(wildcard $(d)/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
GEN_SRC := $(B)/gen/policies.c $(B)/gen/site.c $(B)/gen/schemas.c
GEN_OBJ := $(GEN_SRC:$(B)/gen/%.c=$(B)/obj/gen/%.o)
POLICIES := $(sort $(wildcard policies/*.yaml))
SITE_FILES := $(sort $(wildcard site/*.css site/*.js site/*.svg))
SCHEMAS := schemas/config.schema.json

# tree-sitter runtime and grammars come from npm (package.json, installed into build/npm by
# scripts/install-deps.sh); they are
# compiled here, with their own flags, into static libraries: opsbook's, where the runtime is
# compiled through tools/ts_runtime.c (reference counts for single-thread trees, no balancing
# pass for trees that are read once) and the grammar's scanner through tools/hcl_scanner.c
# (allocations through tree-sitter's hooks), and the benchmark floor's, the sources as they
# come. Both are compiled -fPIE, not -fPIC: they are linked statically into executables, and
# with -fPIC every call between the runtime's own functions goes through the PLT and none is
# inlined (a tenth of the parse).
NPM := build/npm/node_modules
TS_LIB := $(B)/libts.a
TS_STOCK_LIB := $(B)/libts-stock.a
HCL_SRC := $(NPM)/@tree-sitter-grammars/tree-sitter-hcl/src
TS_NPM_SRC := $(NPM)/tree-sitter/vendor/tree-sitter/lib/src/lib.c $(HCL_SRC)/parser.c \
              $(HCL_SRC)/scanner.c
TS_SRC := tools/ts_runtime.c $(HCL_SRC)/parser.c tools/hcl_scanner.c
TS_RT_SRC := $(NPM)/tree-sitter/vendor/tree-sitter/lib/src
TS_ONESHOT := $(B)/ts-src/ts_parser_oneshot.c
TS_CFLAGS := -std=gnu11 -O2 -g -w -fPIE -I$(NPM)/tree-sitter/vendor/tree-sitter/lib/include \
             -I$(B)/ts-src -I$(TS_RT_SRC) -I$(HCL_SRC)
TS_INC := -I$(NPM)/tree-sitter/vendor/tree-sitter/lib/include

TEST_SRC := $(wildcard tests/unit/*.c tests/golden/*.c)
TEST_OBJ := $(TEST_SRC:%.c=$(B)/obj/%.o)

.PHONY: all build deps test unit demo bench bench-ir fuzz fuzz-run realworld lint format clean help \
        install uninstall deb
# Plain `make` first installs what building needs and is missing (Debian and npm packages,
# by scripts/install-deps.sh; the test-only ones come with make test).
all:
	@OPSBOOK_DEPS=build scripts/install-deps.sh
	@$(MAKE) --no-print-directory build
build: $(B)/opsbook build/opsbook $(B)/floor

help:
	@sed -n '2,/^$$/p' Makefile | sed '/^$$/d; s/^# *//'

deps:
	@scripts/install-deps.sh

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(TS_INC) -c $< -o $@

$(B)/gen/policies.c: $(POLICIES) $(B)/embed
	@mkdir -p $(dir $@)
	$(B)/embed embedded_policies $@ $(POLICIES)

$(B)/gen/site.c: $(SITE_FILES) $(B)/embed
	@mkdir -p $(dir $@)
	$(B)/embed embedded_site $@ $(SITE_FILES)

$(B)/gen/schemas.c: $(SCHEMAS) $(B)/embed
	@mkdir -p $(dir $@)
	$(B)/embed embedded_schemas $@ $(SCHEMAS)

$(B)/obj/gen/%.o: $(B)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@


$(B)/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 $(WARN) $< -o $@

# $(call ts_lib,SOURCES): compiles SOURCES into the static library $@ (objects in NAME-obj/).
define ts_lib
	@rm -rf $(@:.a=-obj) $@ && mkdir -p $(@:.a=-obj)
	@for f in $(1); do \
	  o=$(@:.a=-obj)/$$(echo $$f | tr '/@' '__').o; \
	  $(CC) $(TS_CFLAGS) $(filter -fsanitize%,$(OPT)) -c $$f -o $$o || exit 1; done
	ar rcs $@ $(@:.a=-obj)/*.o
endef

$(TS_LIB): $(TS_SRC) $(TS_NPM_SRC) $(TS_ONESHOT)
	$(call ts_lib,$(TS_SRC))

# The runtime's parser.c with its last pass, which balances the finished tree for later
# edits, switched off (tools/ts_runtime.c says why). The build fails if the line is missing.
BALANCE_CALL := if (!ts_parser__balance_subtree(self)) {
$(TS_ONESHOT): $(TS_RT_SRC)/parser.c
	@mkdir -p $(dir $@)
	@grep -qF '$(BALANCE_CALL)' $< || { echo "$<: the balancing call to switch off" \
	  "is not there (tree-sitter changed?): see tools/ts_runtime.c" >&2; exit 1; }
	sed 's/$(BALANCE_CALL)/if (0 \&\& !ts_parser__balance_subtree(self)) {/' $< >$@

$(TS_STOCK_LIB): $(TS_NPM_SRC)
	$(call ts_lib,$(TS_NPM_SRC))

$(TS_NPM_SRC) $(TS_RT_SRC)/parser.c:
	@echo "tree-sitter sources missing: run 'make deps' (npm ci into build/npm)" >&2; exit 1

$(B)/libopsbook.a: $(LIB_OBJ) $(GEN_OBJ)
	ar rcs $@ $^

$(B)/opsbook: $(B)/obj/cmd/main.o $(B)/libopsbook.a $(TS_LIB)
	$(CC) $(OPT) -o $@ $^ $(LDLIBS_ALL)

# The benchmark's dependency floor: one walk, each YAML, .tf and Markdown file parsed bare by
# its parser library (tools/floor.c).
$(B)/floor: tools/floor.c $(TS_STOCK_LIB)
	$(CC) -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(TS_INC) $(PKG_CFLAGS) -o $@ $^ $(SANLD) \
	  -lyaml -lcmark-gfm-extensions -lcmark-gfm

build/opsbook: $(B)/opsbook
	@cp $< $@

# The man page and the completions are generated from the binary's own --help and catalogue.
SHARE := $(B)/share
$(SHARE)/opsbook.1: $(B)/opsbook tools/gen_man.py
	python3 tools/gen_man.py $(B)/opsbook $(SHARE)

PREFIX ?= /usr/local
INSTALLED := bin/opsbook share/man/man1/opsbook.1 share/bash-completion/completions/opsbook \
             share/zsh/site-functions/_opsbook share/fish/vendor_completions.d/opsbook.fish
install: $(B)/opsbook $(SHARE)/opsbook.1
	install -D -m 755 $(B)/opsbook $(DESTDIR)$(PREFIX)/bin/opsbook
	install -D -m 644 $(SHARE)/opsbook.1 $(DESTDIR)$(PREFIX)/share/man/man1/opsbook.1
	install -D -m 644 $(SHARE)/opsbook.bash \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/opsbook
	install -D -m 644 $(SHARE)/_opsbook $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_opsbook
	install -D -m 644 $(SHARE)/opsbook.fish \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/opsbook.fish

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/,$(INSTALLED))

deb: $(B)/opsbook $(SHARE)/opsbook.1
	@tools/make_deb.sh $(B) build

$(B)/unit-tests: $(TEST_OBJ) $(B)/libopsbook.a $(TS_LIB)
	$(CC) $(OPT) -o $@ $^ $(LDLIBS_ALL) -lcriterion

# Every test: Criterion unit and golden tests (the binary must exist: some tests run it),
# then each fuzz target for 30 s (once, in the plain build: the fuzzers carry ASan + UBSan).
test: deps
	@$(MAKE) --no-print-directory unit
ifneq ($(SAN),1)
	@$(MAKE) --no-print-directory fuzz-run FUZZ_SECONDS=30
endif

unit: $(B)/opsbook $(B)/unit-tests
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	OPSBOOK_BIN=$(CURDIR)/$(B)/opsbook OPSBOOK_ROOT=$(CURDIR) $(B)/unit-tests --jobs 2 --verbose=0

demo: deps
	@$(MAKE) --no-print-directory build
	@echo "== opsbook scan examples/platform"
	@build/opsbook scan examples/platform; rc=$$?; \
	  if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	  echo; echo "The findings above are the deliberate violations in examples/platform."; \
	  echo "Exit status $$rc (1 means findings at or above --fail-on, as expected here)."; \
	  build/opsbook scan --format json --output build/demo-report.json examples/platform || true; \
	  echo "JSON report written to build/demo-report.json"
	@build/opsbook site examples/platform -o build/site >/dev/null; rc=$$?; \
	  if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	  echo; echo "The runbook site of examples/platform is in build/site. Open it with:"; \
	  echo "  xdg-open file://$(CURDIR)/build/site/index.html"

bench: deps
	@$(MAKE) --no-print-directory build
	tools/bench.sh $(BENCH_SERVICES)
	tools/bench_history.sh 1000
	tools/bench_hostile.sh

# The real-repository set (tools/realworld/repos.tsv), where its snapshots are present:
# findings by rule, for docs/precision.md. Not part of make test (CI has no network).
realworld: deps
	@$(MAKE) --no-print-directory build
	tools/realworld/run.sh

# Instructions (callgrind) of the floor and of a one-thread scan: steady where times are not.
bench-ir: deps
	@$(MAKE) --no-print-directory build
	tools/bench_ir.sh $(BENCH_SERVICES)

# libFuzzer (clang + compiler-rt from Debian), FUZZ_SECONDS for each target: fuzz_load over
# every loader, fuzz_scan over whole scans of small repositories (tests/fuzz/*.c say how an
# input becomes files). Seeds: examples/ and the hostile inputs (tools/fuzz_seeds.sh); the
# corpora grow in build/fuzz/. A crash, a leak, a timeout (10 s an input) or more than 2 GB
# fails the run. `make test` runs each target for 30 s.
FUZZ_SECONDS ?= 60
comma := ,
FZ := build/fuzz
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O2 -fsanitize=fuzzer-no-link,address,undefined \
  -fno-sanitize-recover=undefined -I. -I$(B)/gen $(TS_INC) -I$(B)/ts-src -I$(TS_RT_SRC) \
  -I$(HCL_SRC) -w
FUZZ_OBJ = $(patsubst %.c,$(FZ)/obj/%.o,$(LIB_SRC) $(GEN_SRC) $(TS_SRC))
# tree-sitter (runtime and grammar) is a dependency, not what we fuzz: it keeps ASan but no
# coverage counters, which cost a third of each run in its lexer's switch.
FUZZ_TS_OBJ = $(patsubst %.c,$(FZ)/obj/%.o,$(TS_SRC))
$(FUZZ_TS_OBJ): FUZZ_CFLAGS := $(subst fuzzer-no-link$(comma),,$(FUZZ_CFLAGS))
FUZZ_RUN = -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix=$(FZ)/

$(FZ)/obj/%.o: %.c $(GEN_SRC) $(TS_ONESHOT)
	@mkdir -p $(dir $@)
	@clang $(FUZZ_CFLAGS) -c $< -o $@

FUZZ_LINK = clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -o $@ $(PKG_LIBS) -lpthread -lm
$(FZ)/fuzz_load: tests/fuzz/fuzz_load.c $(FUZZ_OBJ)
	$(FUZZ_LINK)
$(FZ)/fuzz_scan: tests/fuzz/fuzz_scan.c $(FUZZ_OBJ)
	$(FUZZ_LINK)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-run

fuzz-run: $(FZ)/fuzz_load $(FZ)/fuzz_scan
	@mkdir -p $(FZ)/corpus $(FZ)/corpus-scan
	@tools/fuzz_seeds.sh $(FZ)/corpus $(FZ)/corpus-scan
	UBSAN_OPTIONS=halt_on_error=1 $(FZ)/fuzz_load $(FUZZ_RUN) $(FZ)/corpus 2>$(FZ)/load.log \
	  || { tail -40 $(FZ)/load.log; exit 1; }
	@grep -E 'stat::number_of_executed_units|stat::peak_rss' $(FZ)/load.log | \
	  sed 's/^/fuzz_load: /'
	UBSAN_OPTIONS=halt_on_error=1 $(FZ)/fuzz_scan $(FUZZ_RUN) $(FZ)/corpus-scan \
	  2>$(FZ)/scan.log || { tail -40 $(FZ)/scan.log; exit 1; }
	@grep -E 'stat::number_of_executed_units|stat::peak_rss' $(FZ)/scan.log | \
	  sed 's/^/fuzz_scan: /'

lint:
	@tools/checksrc.sh

format:
	clang-format -i $(LIB_SRC) cmd/*.c tests/unit/*.c

clean:
	rm -rf build/rel build/san build/opsbook

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(B)/obj/cmd/main.d
