# soundloc: the two commands of the quick start are `make demo` and `make test`.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := libsndfile1-dev libmysofa-dev pkg-config
SAMPLE ?= audio-samples/kemar-anechoic_noise_az45.wav
# Sound sources and tools for the development set (docs/devset.md says what each brings).
DEVSET_PACKAGES := sox libsox-fmt-base flite sound-theme-freedesktop oxygen-sounds yaru-theme-sound sound-icons \
  pidgin-data asterisk-core-sounds-en-wav

# Where `make install` puts things; DESTDIR prefixes every path (for packaging).
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
# Where swift-argument-parser's manual plugin writes the man page.
MANUAL = .build/plugins/GenerateManual/outputs/soundloc/soundloc.1

.PHONY: deps build demo test lint samples devset bench figures calibration rate-model manual install uninstall

# Installs the Debian packages the build needs, only when one is missing.
deps:
	@dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1 || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $(DEBIAN_PACKAGES))

build: deps
	$(SWIFT) build -c release

# Localise a bundled sample (a noise rendered through the KEMAR head at 45 degrees right).
demo: build
	.build/release/soundloc localize $(SAMPLE)

# The whole test suite, in release mode (the model is numeric and slow when unoptimised).
test: deps
	$(SWIFT) test -c release --disable-swift-testing

# Style check against .swift-format (120 columns, 4-space indent); changes nothing.
lint:
	$(SWIFT) format lint --strict -r Sources Tests

# Rebuild the labelled sample set from its script (sox and the freedesktop sounds for the real ones).
SAMPLE_PACKAGES := sox libsox-fmt-base sound-theme-freedesktop
samples: build
	@dpkg -s $(SAMPLE_PACKAGES) >/dev/null 2>&1 || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $(SAMPLE_PACKAGES))
	audio-samples/make-samples.sh .build/release/soundloc

# The realistic development set in devset/ (git-ignored): real and synthetic sounds through several
# heads, in noise and in rooms, with devset/manifest.csv. Installs its packages only when one is missing.
devset: build
	@dpkg -s $(DEVSET_PACKAGES) >/dev/null 2>&1 || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $(DEVSET_PACKAGES))
	scripts/make-devset.sh .build/release/soundloc devset

# Re-learn the shipped KEMAR ITD-to-azimuth and LSO tables; needed whenever the model's defaults change.
calibration: build
	.build/release/soundloc calibrate -o /tmp/soundloc-kemar.json --swift-source Sources/Pipeline/CalibrationKEMAR.swift \
	  --lso-swift-source Sources/Pipeline/LSOCalibrationKEMAR.swift --check
	$(SWIFT) format format -i Sources/Pipeline/CalibrationKEMAR.swift Sources/Pipeline/LSOCalibrationKEMAR.swift

# Re-train the shipped rate-code read-out (KEMAR, 10 ms windows); needed whenever the model's defaults change.
rate-model: build
	.build/release/soundloc train-rate -o /tmp/soundloc-rate-model.json --swift-source Sources/Pipeline/RateModelKEMAR.swift
	$(SWIFT) format format -i Sources/Pipeline/RateModelKEMAR.swift

# Redraw every picture in docs/figures from the model itself (needs sox).
figures: build
	scripts/make-figures.sh .build/release/soundloc

# Speed and memory on the reference workload (prints figures; see docs/benchmarks.md).
bench: build
	.build/release/soundloc bench

# The man page, made from the commands' own help by swift-argument-parser's manual plugin
# (which builds the release binary first). man-db is installed only when `man` is missing.
manual: deps
	$(SWIFT) package generate-manual
	@command -v man >/dev/null 2>&1 || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends man-db)

# The release binary, its man page and bash, zsh and fish completions, under PREFIX.
install: build manual
	install -d $(BINDIR) $(MANDIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -m 755 .build/release/soundloc $(BINDIR)/soundloc
	install -m 644 $(MANUAL) $(MANDIR)/soundloc.1
	.build/release/soundloc --generate-completion-script bash > $(BASHDIR)/soundloc
	.build/release/soundloc --generate-completion-script zsh > $(ZSHDIR)/_soundloc
	.build/release/soundloc --generate-completion-script fish > $(FISHDIR)/soundloc.fish

# Removes exactly what `make install` put there (same PREFIX and DESTDIR).
uninstall:
	rm -f $(BINDIR)/soundloc $(MANDIR)/soundloc.1 $(BASHDIR)/soundloc $(ZSHDIR)/_soundloc $(FISHDIR)/soundloc.fish
