# VLFeat ships no CMake config; Debian's libvlfeat-dev puts vl/*.h in /usr/include and libvl.so in the
# multiarch library directory. Defines the imported target VLFeat::VLFeat.
find_path(VLFeat_INCLUDE_DIR NAMES vl/generic.h)
find_library(VLFeat_LIBRARY NAMES vl)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(VLFeat REQUIRED_VARS VLFeat_LIBRARY VLFeat_INCLUDE_DIR)
if(VLFeat_FOUND AND NOT TARGET VLFeat::VLFeat)
  add_library(VLFeat::VLFeat UNKNOWN IMPORTED)
  set_target_properties(VLFeat::VLFeat PROPERTIES
    IMPORTED_LOCATION ${VLFeat_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${VLFeat_INCLUDE_DIR})
endif()
mark_as_advanced(VLFeat_INCLUDE_DIR VLFeat_LIBRARY)
