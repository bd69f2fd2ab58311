# The Debian package: `make package` (cpack -G DEB in the release build) writes
# <build>/featpipe_<version>_<arch>.deb. It holds what `cmake --install` installs (cmake/install.cmake), under
# /usr, and the files a Debian package needs besides, which this file adds to the install rules:
#   share/man/man1/featpipe.1.gz     made at build time by help2man from `featpipe --help` and `--version`
#   share/doc/featpipe/copyright     LICENSE (featpipe's licence and the libraries' licences)
#   share/doc/featpipe/changelog.gz  a Debian changelog entry for this version
# tests/package/deb_test.sh (CI) installs the package, uses it and removes it.

set(FEATPIPE_DEB_MAINTAINER "The featpipe authors <dev@featpipe>" CACHE STRING
  "Maintainer field of the Debian package")
set(featpipe_deb_dir ${CMAKE_CURRENT_BINARY_DIR}/debian)

# help2man runs the featpipe just built, so a sanitized build, which is
# not one to package, makes no man page; nor does a machine without help2man (scripts/install-deps.sh has it).
find_program(FEATPIPE_HELP2MAN help2man)
if(FEATPIPE_HELP2MAN AND NOT FEATPIPE_SANITIZE)
  # gzip -n: no name or time stamp inside, so the same page compresses to the same bytes.
  add_custom_command(OUTPUT ${featpipe_deb_dir}/featpipe.1.gz
    COMMAND ${FEATPIPE_HELP2MAN} --no-info --section=1
            "--name=the classic image-classification pipeline, every stage stored in HDF5"
            --output=${featpipe_deb_dir}/featpipe.1 $<TARGET_FILE:featpipe>
    COMMAND gzip -9nf ${featpipe_deb_dir}/featpipe.1
    DEPENDS featpipe
    COMMENT "Writing the man page featpipe.1 with help2man"
    VERBATIM)
  add_custom_target(featpipe_man ALL DEPENDS ${featpipe_deb_dir}/featpipe.1.gz)
  install(FILES ${featpipe_deb_dir}/featpipe.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "featpipe: no man page (help2man not found, or a sanitized build)")
endif()

install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)

# The version has no Debian revision, so it is a native package and Debian's tools look for changelog.gz (not
# changelog.Debian.gz). The date is the day of configuration, or SOURCE_DATE_EPOCH's for a reproducible build.
string(TIMESTAMP featpipe_deb_date "%a, %d %b %Y 00:00:00 +0000" UTC)
file(CONFIGURE OUTPUT ${featpipe_deb_dir}/changelog CONTENT [[
featpipe (@PROJECT_VERSION@) unstable; urgency=medium

  * featpipe @PROJECT_VERSION@.

 -- @FEATPIPE_DEB_MAINTAINER@  @featpipe_deb_date@
]] @ONLY)
add_custom_command(OUTPUT ${featpipe_deb_dir}/changelog.gz
  COMMAND gzip -9nkf ${featpipe_deb_dir}/changelog
  DEPENDS ${featpipe_deb_dir}/changelog
  VERBATIM)
add_custom_target(featpipe_changelog ALL DEPENDS ${featpipe_deb_dir}/changelog.gz)
install(FILES ${featpipe_deb_dir}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})

# featpipe will load OpenCV's image codecs with dlopen instead of linking them, out of dpkg-shlibdeps' sight,
# so their Debian package is a dependency by name: the package that holds the library found here (Debian
# renames it with every OpenCV release: libopencv-imgcodecs406 for 4.6). Set the variable to override it.
set(FEATPIPE_DEB_IMGCODECS_PACKAGE "" CACHE STRING
  "Debian package of OpenCV's image codecs (empty: the one holding the library found, from dpkg -S)")
set(featpipe_deb_imgcodecs ${FEATPIPE_DEB_IMGCODECS_PACKAGE})
find_program(FEATPIPE_DPKG_QUERY dpkg-query)
if(NOT featpipe_deb_imgcodecs AND FEATPIPE_DPKG_QUERY)
  get_target_property(imgcodecs_library opencv_imgcodecs LOCATION)
  file(REAL_PATH ${imgcodecs_library} imgcodecs_library)
  execute_process(COMMAND ${FEATPIPE_DPKG_QUERY} -S ${imgcodecs_library}
    OUTPUT_VARIABLE imgcodecs_owner ERROR_QUIET RESULT_VARIABLE imgcodecs_status)
  # "libopencv-imgcodecs406:amd64: /usr/lib/x86_64-linux-gnu/libopencv_imgcodecs.so.4.6.0"
  if(imgcodecs_status EQUAL 0 AND imgcodecs_owner MATCHES "^([a-z0-9][a-z0-9.+-]*)[:,]")
    set(featpipe_deb_imgcodecs ${CMAKE_MATCH_1})
  else()
    message(WARNING "featpipe: no Debian package holds ${imgcodecs_library}; the package will not depend on "
      "OpenCV's image codecs unless FEATPIPE_DEB_IMGCODECS_PACKAGE names their package")
  endif()
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME featpipe)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "image classification with engineered features and linear classifiers")
# Debian wants the long description in lines under 80 columns, and CPack does not wrap it.
set(CPACK_PACKAGE_DESCRIPTION [[
featpipe runs the classic image-classification pipeline as one command-line
tool: hand-engineered features (raw pixels, hue histograms, spatial pyramids,
HOG, LBP, SIFT and dense SIFT), k-means and GMM visual vocabularies,
bag-of-words, VLAD, Fisher and triangle encodings, and linear classifiers
(multiclass SVM, softmax) trained with minibatch SGD and its variants. Every
stage is stored in HDF5, so raw-pixel training and engineered features can be
compared and inspected.

The package holds the featpipe program, staged recipes for Fashion-MNIST,
CIFAR-10 and image folders, the encodings comparison of Chatfield et al.
(BMVC 2011) on any of them, their report script, and the static
libraries, headers, CMake package and pkg-config file for building C++
programs on featpipe's stages.]])
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${FEATPIPE_DEB_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

# Depends: the shared libraries the binary links, found by dpkg-shlibdeps (dpkg-dev), and the image codecs.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS ${featpipe_deb_imgcodecs})
# Recommends, not Depends: only `featpipe compare` runs the report script (/usr/bin/python3 with h5py and
# matplotlib; `--no-plots` does without), and the recipes end with it. apt installs recommended packages by
# default, so a plain `apt-get install` gives a working report.
# The Python package (`import featpipe`, cmake/python.cmake) needs the same python3 and numpy, and
# scikit-learn for its estimators (featpipe.LinearClassifier, featpipe.sklearn).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3, python3-numpy, python3-h5py, python3-matplotlib, python3-sklearn")
# Suggests: what a C++ program built on the installed CMake package or featpipe.pc needs (the libraries are
# static, so their dependencies' headers and link libraries), and Debian's copy of the default data set
# (`--data fashion-mnist`, the Fashion-MNIST recipe). Most users run the command; as Recommends, the -dev
# packages would bring some 200 more packages, hundreds of megabytes, into every installation. In Debian
# proper the library half would be a separate libfeatpipe-dev package that Depends on them.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libopencv-dev, libeigen3-dev, libhdf5-dev, libboost-program-options-dev, \
libvlfeat-dev, nlohmann-json3-dev, dataset-fashion-mnist")

# Python writes byte-code caches beside the package's modules when root imports them; they are no file of the
# package, so its removal would leave them (and so the folder) behind: prerm removes them first, as Debian's
# py3clean does for Python packages.
if(featpipe_with_python)
  file(CONFIGURE OUTPUT ${featpipe_deb_dir}/prerm CONTENT [[#!/bin/sh
set -e
rm -rf /usr/@FEATPIPE_PYTHON_INSTALL_DIR@/featpipe/__pycache__
]] @ONLY)
  file(CHMOD ${featpipe_deb_dir}/prerm PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
    GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${featpipe_deb_dir}/prerm)
endif()

# What Debian's tools expect of a package's files: a binary without its symbol table (the release build has no
# debug information to keep), directories 0755 whatever the umask, control files with their policy modes.
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
