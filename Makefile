# tinyinit — build, test, demo, benchmark, install.
# `make` publishes the three NativeAOT binaries into out/bin; `make check` builds them and runs
# every test (unit tests under the JIT, integration tests against out/bin).

PREFIX  ?= /usr/local
DESTDIR ?=
DOTNET  ?= dotnet
# ARCH=arm64 (or x64) cross-publishes for that architecture into out/ARCH/bin; by default the
# binaries are for this machine, in out/bin.
HOST_ARCH := $(shell uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
ARCH    ?= $(HOST_ARCH)
OUT     ?= $(if $(filter $(ARCH),$(HOST_ARCH)),out/bin,out/$(ARCH)/bin)
PUBLISH := $(DOTNET) publish -c Release --nologo -v quiet -r linux-$(ARCH) -o $(OUT)
# The other architecture, built and smoke-tested under qemu-user by `make check`.
CROSS_ARCH := $(if $(filter x64,$(HOST_ARCH)),arm64,x64)
CROSS_OUT  := out/$(CROSS_ARCH)/bin
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

shared_src := Directory.Build.props $(shell find protocol native -name '*.cs' -o -name '*.csproj' 2>/dev/null | grep -v '/obj/\|/bin/')
loader_src := $(shell find manager/Loader -name '*.cs' -o -name '*.csproj' 2>/dev/null | grep -v '/obj/\|/bin/')
launcher_src := $(wildcard native/launcher/*.c native/launcher/*.h native/launcher/build.sh native/launcher/Launcher.targets)
engine_src := $(shell find manager/Engine -name '*.cs' -o -name '*.csproj' 2>/dev/null | grep -v '/obj/\|/bin/')
BINARIES := $(OUT)/tinyinit $(OUT)/tinyinitd $(OUT)/tinyctl

.PHONY: all deps cross check check-vm test demo bench bench-vm vm vm-image install install-files install-dinit-names install-shutdown-names clean
all: $(BINARIES)

deps:
	@scripts/ensure-deps.sh $(if $(filter $(ARCH),$(HOST_ARCH)),,--cross $(ARCH))

# The same binaries for CROSS_ARCH (a separate make, so OUT and ARCH are its own).
cross:
	@$(MAKE) --no-print-directory ARCH=$(CROSS_ARCH) all

$(OUT)/tinyinit: $(shared_src) $(shell find init-stub -name '*.cs' -o -name '*.csproj' | grep -v '/obj/\|/bin/') | deps
	$(PUBLISH) init-stub/tinyinit.csproj
	@rm -f $(OUT)/*.dbg $(OUT)/*.pdb

$(OUT)/tinyinitd: $(shared_src) $(loader_src) $(engine_src) $(launcher_src) $(shell find manager/Daemon -name '*.cs' -o -name '*.csproj' | grep -v '/obj/\|/bin/') | deps
	$(PUBLISH) manager/Daemon/tinyinitd.csproj
	@rm -f $(OUT)/*.dbg $(OUT)/*.pdb

$(OUT)/tinyctl: $(shared_src) $(loader_src) $(shell find ctl -name '*.cs' -o -name '*.csproj' | grep -v '/obj/\|/bin/') | deps
	$(PUBLISH) ctl/tinyctl.csproj
	@rm -f $(OUT)/*.dbg $(OUT)/*.pdb

check: all cross
	TINYINIT_BIN_DIR=$(CURDIR)/$(OUT) TINYINIT_CROSS_BIN_DIR=$(CURDIR)/$(CROSS_OUT) TINYINIT_CROSS_ARCH=$(CROSS_ARCH) \
		$(DOTNET) test tinyinit.slnx --nologo

test: check

# Booting a real kernel under QEMU (scripts/vm): the Debian cloud kernel, a busybox root disk
# with the binaries installed and examples/linux as the system, tinyinit as PID 1.
VM_DIR := out/vm

vm-image: all
	@scripts/vm/fetch-kernel.sh $(VM_DIR) >/dev/null
	@scripts/vm/build-image.sh $(OUT) $(VM_DIR)/root.img >/dev/null

# The serial console on this terminal: log in as root (no password), try tinyctl, leave with
# `tinyctl poweroff`. Ctrl-A x quits QEMU at once. A failed boot gives the recovery shell.
# VM_WORDS adds kernel command-line words, e.g. `make vm VM_WORDS=single`.
vm: vm-image
	@echo "vm: booting $(VM_DIR)/root.img (log in as root; tinyctl poweroff ends it; Ctrl-A x kills QEMU)"
	@scripts/vm/boot.sh $(VM_DIR)/root.img TINYINIT_BOOT_FAILURE=recovery $(VM_WORDS)

# The boot scenarios (tests/Vm.Tests, also run by `make check`), each in its own boot.
check-vm: all
	TINYINIT_BIN_DIR=$(CURDIR)/$(OUT) $(DOTNET) test tests/Vm.Tests --nologo

# Boot time to loginready, tinyinit beside busybox init doing the same work (median of 5).
bench-vm: all
	@scripts/vm/bench-boot.sh $(CURDIR)/$(OUT)

demo: all
	@examples/demo/run-demo.sh $(CURDIR)/$(OUT)

bench: all
	$(DOTNET) run -c Release --project tests/Tinyinit.Bench -- $(CURDIR)/$(OUT)

install: all
	@$(MAKE) --no-print-directory install-files

# Copies what `make` built; `make install-files OUT=DIR` installs binaries published elsewhere.
# Only tinyinit's own names: the reference's names and the shutdown commands would shadow a
# host's own dinit or init commands, so they are opt-in (the two targets below).
install-files:
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 0755 $(OUT)/tinyinit $(OUT)/tinyinitd $(DESTDIR)$(PREFIX)/sbin/
	install -m 0755 $(OUT)/tinyctl $(DESTDIR)$(PREFIX)/bin/
	for page in $$(find init-stub manager ctl -name '*.8' -not -path '*/obj/*'); do install -m 0644 $$page $(DESTDIR)$(PREFIX)/share/man/man8/; done
	for page in $$(find manager -name '*.5' -not -path '*/obj/*'); do install -m 0644 $$page $(DESTDIR)$(PREFIX)/share/man/man5/; done

# The drop-in personality: programs invoked under the reference's names use the reference's
# directories, socket and environment file, so a machine switches from Dinit unchanged.
# Symlinks, because the programs look at argv[0].
install-dinit-names:
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin
	ln -sf tinyinitd $(DESTDIR)$(PREFIX)/sbin/dinit
	for name in dinitctl dinit-check dinit-monitor; do ln -sf tinyctl $(DESTDIR)$(PREFIX)/bin/$$name; done

install-shutdown-names:
	install -d $(DESTDIR)$(PREFIX)/sbin
	for name in shutdown halt poweroff reboot soft-reboot; do ln -sf ../bin/tinyctl $(DESTDIR)$(PREFIX)/sbin/$$name; done

clean:
	rm -rf out
	find . -name bin -o -name obj -type d | grep -v '^./.git' | xargs rm -rf
