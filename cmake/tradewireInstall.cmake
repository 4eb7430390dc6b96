include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS tradewire EXPORT tradewireTargets)
set(TRADEWIRE_CMAKE_DIR ${CMAKE_INSTALL_DATADIR}/cmake/tradewire)
install(EXPORT tradewireTargets NAMESPACE tradewire:: DESTINATION ${TRADEWIRE_CMAKE_DIR})

configure_package_config_file(cmake/tradewireConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/tradewireConfig.cmake
  INSTALL_DESTINATION ${TRADEWIRE_CMAKE_DIR})
# A header-only library does not depend on the consumer's architecture.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/tradewireConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/tradewireConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/tradewireConfigVersion.cmake
  cmake/tradewireDependencies.cmake
  DESTINATION ${TRADEWIRE_CMAKE_DIR})
