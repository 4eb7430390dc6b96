// Lets every test build against Catch2 v2 (Debian 12: <catch2/catch.hpp>) and v3
// (vcpkg, Conan: split headers). Tests include this file and nothing else from Catch2.
#pragma once
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#define TRADEWIRE_CATCH3 1
#else
#include <catch2/catch.hpp>
#endif
