// tradewire's version. CMakeLists.txt reads the numbers from this file, so the package
// version and the one compiled into a program can never disagree.
#pragma once

#define TRADEWIRE_VERSION_MAJOR 0
#define TRADEWIRE_VERSION_MINOR 1
#define TRADEWIRE_VERSION_PATCH 0

namespace tradewire {

struct version_info {
    int major;
    int minor;
    int patch;
};

inline constexpr version_info version{TRADEWIRE_VERSION_MAJOR, TRADEWIRE_VERSION_MINOR, TRADEWIRE_VERSION_PATCH};
#define TRADEWIRE_DETAIL_STRINGIFY2(x) #x
#define TRADEWIRE_DETAIL_STRINGIFY(x) TRADEWIRE_DETAIL_STRINGIFY2(x)
inline constexpr const char* version_string = TRADEWIRE_DETAIL_STRINGIFY(TRADEWIRE_VERSION_MAJOR) "." TRADEWIRE_DETAIL_STRINGIFY(
    TRADEWIRE_VERSION_MINOR) "." TRADEWIRE_DETAIL_STRINGIFY(TRADEWIRE_VERSION_PATCH);

}  // namespace tradewire
