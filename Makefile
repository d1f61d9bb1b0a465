# SPDX-License-Identifier: GPL-2.0
#
# sslprov: kernel module, userspace library, tools and tests.
#
#   make                 module (for KDIR), library, tools, example, selftests
#   make demo            a real TLS 1.2 server on the provider, in a VM
#   make check           install what is missing, lint, test on both kernels
#   make bench           the benchmark in a VM (KERNEL=6.1 or 6.12; PTI=1)
#   make bench-profile   perf profile of bench sections in the VM (SECTIONS=...)
#   make fuzz            libFuzzer targets on the host, long ioctl fuzz and the
#                        constant-time test in a VM (FUZZ_TIME=seconds, default 600)
#   make fuzz-build      only build the libFuzzer targets into build/fuzz/
#   make install         library, headers, pkg-config file (PREFIX, DESTDIR)
#   make modules_install the module, then depmod
#
# The module is built by Kbuild (see Kbuild and module/Kbuild).

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
DESTDIR ?=
export PREFIX DESTDIR

KSRC_TARBALL ?= /usr/src/linux-source-6.1.tar.xz
BUILD := $(CURDIR)/build
KSRC := $(BUILD)/ksrc
export KSRC KSRC_TARBALL

.PHONY: all module lib tools examples selftests modules_install install \
	clean check lint ksrc demo bench bench-build bench-profile fuzz fuzz-build

all: module lib tools examples selftests

module:
	@test -e $(KDIR)/Makefile || { \
	  echo "no kernel build tree at $(KDIR):"; \
	  echo "install linux-headers-$$(uname -r) or pass KDIR=/path/to/build"; \
	  exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

modules_install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(if $(KERNELRELEASE),$(KERNELRELEASE),$(shell $(MAKE) -s -C $(KDIR) kernelrelease))

lib:
	$(MAKE) -C lib

tools:
	$(MAKE) -C tools

examples: lib
	$(MAKE) -C examples

selftests: lib ksrc
	$(MAKE) -C selftests

install: lib tools
	$(MAKE) -C lib install
	$(MAKE) -C tools install

demo:
	scripts/setup
	scripts/demo

# build/bin/sslprov-bench; "make bench" runs it in the test VM and writes
# build/bench/results.json and build/bench/bench.png.  PTI=1 boots the
# guest with page-table isolation (a Meltdown-affected CPU's kernel).
KERNEL ?= 6.1
PTI ?= 0
BENCH_FLAGS = --kernel $(KERNEL) $(if $(filter 1,$(PTI)),--pti)
bench-build: lib
	$(MAKE) -C bench

bench:
	scripts/setup
	scripts/bench $(BENCH_FLAGS)

# perf profile of sslprov's side of some bench sections, in the VM:
# make bench-profile SECTIONS=session-keys,records
SECTIONS ?= import,session-keys,finished,records
bench-profile:
	scripts/setup
	scripts/bench $(BENCH_FLAGS) --profile $(SECTIONS)

# checkpatch.pl and the kselftest harness come from Debian's linux-source
# package; they are extracted into build/, never committed.
ksrc: $(KSRC)/.stamp
$(KSRC)/.stamp: $(KSRC_TARBALL)
	mkdir -p $(KSRC)
	tar -xJf $(KSRC_TARBALL) -C $(KSRC) --strip-components=1 \
	  linux-source-6.1/scripts/checkpatch.pl \
	  linux-source-6.1/scripts/spelling.txt \
	  linux-source-6.1/scripts/const_structs.checkpatch \
	  linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
	  linux-source-6.1/tools/testing/selftests/kselftest.h
	touch $@

lint: ksrc
	scripts/lint

check:
	scripts/check

fuzz-build:
	$(MAKE) -C fuzz

# FUZZ_TIME=... and the other FUZZ_* knobs (scripts/fuzz) reach it from the
# command line or the environment.
fuzz:
	scripts/fuzz

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C lib clean
	-$(MAKE) -C tools clean
	-$(MAKE) -C examples clean
	-$(MAKE) -C bench clean
	-$(MAKE) -C selftests clean
	-$(MAKE) -C fuzz clean
	rm -rf $(BUILD)
