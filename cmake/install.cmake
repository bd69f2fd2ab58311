# `cmake --install <build> --prefix P` (or `make install PREFIX=P`) installs:
#   bin/featpipe
#   lib/libfeatpipe_<stage>.a                 the stage libraries (static, position-independent)
#   include/featpipe/<stage>/*.h              the public headers (a stage's src/*.h stay private)
#   share/featpipe/pipelines/                 pipelines/ of the source tree: report/report.py, lib/*.sh and
#                                             the recipes <dataset>/run.sh and slurm/recipe.sbatch, in the
#                                             same relative layout
#   lib/cmake/featpipe/                       the package: find_package(featpipe CONFIG) gives featpipe::<stage>
#   lib/pkgconfig/featpipe.pc
#   share/bash-completion/completions/featpipe  the bash completion, printed by the featpipe just built
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(FEATPIPE_STAGES core data features vocab classify pipelines)
set(FEATPIPE_INSTALL_SHAREDIR ${CMAKE_INSTALL_DATADIR}/featpipe/pipelines)
set(FEATPIPE_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/featpipe)

# The running featpipe finds its shared files from its own location (pipelines/src/share_dir.cpp): the
# installed folder relative to the binary, so an installed tree can be moved; the source tree's pipelines/
# only when that folder does not exist (the build tree).
file(RELATIVE_PATH featpipe_bin_to_share ${CMAKE_INSTALL_FULL_BINDIR}
     ${CMAKE_INSTALL_FULL_DATADIR}/featpipe/pipelines)
set_property(SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/pipelines/src/share_dir.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  FEATPIPE_SHARE_FROM_BIN="${featpipe_bin_to_share}"
  FEATPIPE_SOURCE_SHARE="${CMAKE_CURRENT_SOURCE_DIR}/pipelines")

# With FEATPIPE_NATIVE the libraries are compiled with -march=native. Eigen's alignment is the same for every
# instruction set (EIGEN_MAX_ALIGN_BYTES, a PUBLIC definition of featpipe_core), but a consumer's copies of
# Eigen's inline code and the libraries' are merged by the linker, so the installed targets and featpipe.pc
# ask for the same flag. The build tree already compiles everything with it.
set(FEATPIPE_PC_CFLAGS "")
if(FEATPIPE_NATIVE)
  target_compile_options(featpipe_core INTERFACE $<INSTALL_INTERFACE:-march=native>)
  set(FEATPIPE_PC_CFLAGS " -march=native")
endif()

install(TARGETS featpipe RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# `featpipe completion bash` prints the script from the command's own tables, so it is made by the binary it
# completes; bash-completion loads it from this folder when `featpipe` is first completed.
set(featpipe_completion ${CMAKE_CURRENT_BINARY_DIR}/completion/featpipe)
add_custom_command(OUTPUT ${featpipe_completion}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/completion
  COMMAND sh -c "\"$1\" completion bash > \"$2\"" sh $<TARGET_FILE:featpipe> ${featpipe_completion}
  DEPENDS featpipe
  COMMENT "Writing the bash completion of featpipe"
  VERBATIM)
add_custom_target(featpipe_completion ALL DEPENDS ${featpipe_completion})
install(FILES ${featpipe_completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

foreach(stage ${FEATPIPE_STAGES})
  install(TARGETS featpipe_${stage} EXPORT featpipeTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(DIRECTORY ${stage}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
endforeach()

install(FILES pipelines/report/report.py pipelines/report/report_sections.py DESTINATION ${FEATPIPE_INSTALL_SHAREDIR}/report)
install(DIRECTORY pipelines/lib DESTINATION ${FEATPIPE_INSTALL_SHAREDIR} FILES_MATCHING PATTERN "*.sh")
install(PROGRAMS pipelines/slurm/recipe.sbatch DESTINATION ${FEATPIPE_INSTALL_SHAREDIR}/slurm)
file(GLOB recipes CONFIGURE_DEPENDS pipelines/*/run.sh)
foreach(recipe ${recipes})
  get_filename_component(dataset_dir ${recipe} DIRECTORY)
  get_filename_component(dataset ${dataset_dir} NAME)
  install(PROGRAMS ${recipe} DESTINATION ${FEATPIPE_INSTALL_SHAREDIR}/${dataset})
endforeach()

install(EXPORT featpipeTargets NAMESPACE featpipe:: DESTINATION ${FEATPIPE_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/featpipeConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/featpipeConfig.cmake
  INSTALL_DESTINATION ${FEATPIPE_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/featpipeConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/featpipeConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/featpipeConfigVersion.cmake
  cmake/FindVLFeat.cmake
  DESTINATION ${FEATPIPE_INSTALL_CMAKEDIR})

# pkg-config: the libraries in link order (a stage before the stages it uses) and the dependencies.
file(RELATIVE_PATH FEATPIPE_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
set(FEATPIPE_PC_LIBS "")
foreach(stage pipelines vocab classify features data core)
  string(APPEND FEATPIPE_PC_LIBS " -lfeatpipe_${stage}")
endforeach()
# libfeatpipe_data loads OpenCV's image codecs with dlopen: -ldl where the C library does not hold it.
list(TRANSFORM CMAKE_DL_LIBS PREPEND " -l" OUTPUT_VARIABLE featpipe_pc_dl_libs)
string(JOIN "" FEATPIPE_PC_DL_LIBS ${featpipe_pc_dl_libs})
configure_file(cmake/featpipe.pc.in ${CMAKE_CURRENT_BINARY_DIR}/featpipe.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/featpipe.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
