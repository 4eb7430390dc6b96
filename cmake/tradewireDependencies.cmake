# Finds what tradewire's headers need and exposes each as an imported target with a
# tradewire-private name, so the same file serves the build tree and the installed
# package config (where it is re-run through find_dependency-style logic).
include(CMakeFindDependencyMacro)

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(RapidJSON CONFIG QUIET)
if(NOT TARGET RapidJSON::RapidJSON)
  # Debian's RapidJSONConfig.cmake sets variables only; older ones have no target.
  find_path(TRADEWIRE_RAPIDJSON_INCLUDE_DIR rapidjson/document.h HINTS ${RapidJSON_INCLUDE_DIRS} ${RAPIDJSON_INCLUDE_DIRS})
  if(NOT TRADEWIRE_RAPIDJSON_INCLUDE_DIR)
    message(FATAL_ERROR "RapidJSON not found (Debian: rapidjson-dev)")
  endif()
  add_library(RapidJSON::RapidJSON INTERFACE IMPORTED)
  set_target_properties(RapidJSON::RapidJSON PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${TRADEWIRE_RAPIDJSON_INCLUDE_DIR}")
endif()

if(NOT TARGET tradewire_asio::asio)
  find_path(TRADEWIRE_ASIO_INCLUDE_DIR asio.hpp)
  if(NOT TRADEWIRE_ASIO_INCLUDE_DIR)
    message(FATAL_ERROR "standalone Asio not found (Debian: libasio-dev)")
  endif()
  add_library(tradewire_asio::asio INTERFACE IMPORTED)
  set_target_properties(tradewire_asio::asio PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${TRADEWIRE_ASIO_INCLUDE_DIR}"
    INTERFACE_COMPILE_DEFINITIONS "ASIO_STANDALONE;ASIO_NO_DEPRECATED")
endif()

if(NOT DEFINED TRADEWIRE_TLS_BACKEND)
  set(TRADEWIRE_TLS_BACKEND "wolfssl")
endif()
if(TRADEWIRE_TLS_BACKEND STREQUAL "wolfssl" AND NOT TARGET tradewire_wolfssl::wolfssl)
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(TRADEWIRE_WOLFSSL_PC QUIET wolfssl)
  endif()
  find_path(TRADEWIRE_WOLFSSL_INCLUDE_DIR wolfssl/ssl.h HINTS ${TRADEWIRE_WOLFSSL_PC_INCLUDE_DIRS})
  find_library(TRADEWIRE_WOLFSSL_LIBRARY NAMES wolfssl HINTS ${TRADEWIRE_WOLFSSL_PC_LIBRARY_DIRS})
  if(NOT TRADEWIRE_WOLFSSL_INCLUDE_DIR OR NOT TRADEWIRE_WOLFSSL_LIBRARY)
    message(FATAL_ERROR "wolfSSL not found (Debian: libwolfssl-dev), or set TRADEWIRE_TLS_BACKEND=openssl")
  endif()
  add_library(tradewire_wolfssl::wolfssl UNKNOWN IMPORTED)
  set_target_properties(tradewire_wolfssl::wolfssl PROPERTIES
    IMPORTED_LOCATION "${TRADEWIRE_WOLFSSL_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${TRADEWIRE_WOLFSSL_INCLUDE_DIR}")
elseif(TRADEWIRE_TLS_BACKEND STREQUAL "openssl")
  find_package(OpenSSL REQUIRED)
endif()
