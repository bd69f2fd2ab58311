include(GNUInstallDirs)

# The running featpipe finds its shared files from its own location (pipelines/src/share_dir.cpp): the
# installed folder relative to the binary, so an installed tree can be moved; the source tree's pipelines/
# only when that folder does not exist (the build tree).
file(RELATIVE_PATH featpipe_bin_to_share ${CMAKE_INSTALL_FULL_BINDIR}
     ${CMAKE_INSTALL_FULL_DATADIR}/featpipe/pipelines)
set_property(SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/pipelines/src/share_dir.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  FEATPIPE_SHARE_FROM_BIN="${featpipe_bin_to_share}"
  FEATPIPE_SOURCE_SHARE="${CMAKE_CURRENT_SOURCE_DIR}/pipelines")
