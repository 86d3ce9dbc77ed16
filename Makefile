# Assure: the two commands of the quick start are `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory

.PHONY: setup build run test check-format format bench bench-server bench-auth-flood clean

setup:
	@bash scripts/setup.sh

$(BUILD)/build.ninja $(BUILD)/Makefile:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: setup $(BUILD)/Makefile
	@cmake --build $(BUILD) -j $(JOBS)

# Check every example and print the findings, then serve them: a SQLite database with the
# examples loaded, an administrator whose password is printed, and the server's URL.
run: build
	@bash scripts/run.sh

test: build check-format
	@cd $(BUILD) && bash $(CURDIR)/scripts/with-postgres.sh ctest --output-on-failure -j $(JOBS)

check-format:
	@clang-format-14 --dry-run --Werror $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'bench/*.cpp')

format:
	@clang-format-14 -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'bench/*.cpp')

bench: build
	@bash bench/run.sh

# The server under load (wrk), beside nginx serving the same bytes; SQLite and PostgreSQL.
bench-server: build
	@BUILD=$(BUILD) bash bench/server.sh

# What a flood of refused requests (401) costs the edits beside it.
bench-auth-flood: build
	@BUILD=$(BUILD) bash bench/auth_flood.sh

clean:
	rm -rf $(BUILD)
