// FUZZ_CHECK(condition, what): the invariant a fuzz target asserts. Unlike assert it is never
// compiled out (NDEBUG or not), and it names the broken invariant before aborting, so libFuzzer
// saves the input as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, what)                                                        \
  do {                                                                                     \
    if (!(condition)) {                                                                    \
      std::fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, __LINE__, what, \
                   #condition);                                                            \
      std::abort();                                                                        \
    }                                                                                      \
  } while (false)
