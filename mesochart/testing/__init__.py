"""What the tests (and the benchmarks) build their data from: importable helpers that are not
tests themselves, so no app's tests import another app's test modules for them."""
