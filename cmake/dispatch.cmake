# Run-time CPU dispatch (core/include/featpipe/core/dispatch.h).
#
# A portable build (the default) compiles the whole project for x86-64-v2 and the kernels of each stage
# (<stage>/src/kernels/*.cpp) once more per level: x86-64-v2, -v3 (AVX2, FMA) and -v4 (AVX-512); the process
# runs the variants of the highest level its CPU has (or FEATPIPE_CPU's). FEATPIPE_NATIVE=ON compiles
# everything, kernels included, for the building machine only (-march=native), and does not dispatch.
#
# The variants of one level are linked into one relocatable object (ld -r) whose only global symbols are
# those of the level's namespace (isa_v3 ...). Everything else a variant defines, above all the inline and
# template code of Eigen and the standard library it instantiates for its instruction set, becomes local to
# it: otherwise the linker keeps one copy of each such function for the whole program, and an AVX-512 copy
# could be called from baseline code on an older CPU, or a baseline copy slow down the AVX-512 kernels.
# --force-group-allocation dissolves the COMDAT groups, which the final link would otherwise still merge by
# name across variants. Each variant so has its own copy of such code and of its static variables (Eigen's
# cache sizes, for one), which it initialises for itself.

if(FEATPIPE_NATIVE)
  set(FEATPIPE_CPU_LEVELS native)
  add_compile_options(-O3 -march=native)
  add_compile_definitions(FEATPIPE_NATIVE_BUILD)
else()
  set(FEATPIPE_CPU_LEVELS v2 v3 v4)
  add_compile_options(-O3 -march=x86-64-v2 -mtune=generic)
endif()

find_program(FEATPIPE_LD NAMES ld.bfd ld REQUIRED)
find_program(FEATPIPE_OBJCOPY NAMES objcopy REQUIRED)

# featpipe_dispatch(stage [source...]): compiles <stage>/src/kernels/*.cpp per level into the stage's library,
# with the further sources (of <stage>/src) that the kernels call in their inner loops: those are compiled
# into the baseline library as usual, and into each level's object too, where the kernels of that level call
# that level's copy (local to it, as everything outside the level's namespace). The object libraries get the
# stage's usage requirements (include folders, definitions) through its link libraries.
function(featpipe_dispatch stage)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${stage}/src/kernels/*.cpp)
  foreach(source ${ARGN})
    list(APPEND sources ${CMAKE_CURRENT_SOURCE_DIR}/${stage}/src/${source})
  endforeach()
  if(NOT sources)
    return()
  endif()
  get_target_property(links featpipe_${stage} LINK_LIBRARIES)
  foreach(level ${FEATPIPE_CPU_LEVELS})
    set(variant featpipe_${stage}_${level})
    add_library(${variant} OBJECT ${sources})
    target_include_directories(${variant} PRIVATE
      ${CMAKE_CURRENT_SOURCE_DIR}/${stage}/include ${CMAKE_CURRENT_SOURCE_DIR}/${stage}/src)
    target_link_libraries(${variant} PRIVATE ${links})
    target_compile_definitions(${variant} PRIVATE FEATPIPE_ISA=isa_${level})
    set_target_properties(${variant} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    # Static variables of inline functions (Eigen's cache sizes, ...) as weak symbols, which can be made
    # local, instead of GNU "unique" ones, which cannot (clang emits no unique symbols).
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${variant} PRIVATE -fno-gnu-unique)
    endif()
    if(NOT level STREQUAL "native")
      target_compile_options(${variant} PRIVATE -march=x86-64-${level})
    endif()
    # One precompiled header of the third-party headers per level (compiled for its instruction set), made by
    # the first stage's variant and reused by the others'.
    if(FEATPIPE_PCH)
      get_property(pch_owner GLOBAL PROPERTY FEATPIPE_PCH_${level})
      if(pch_owner)
        target_precompile_headers(${variant} REUSE_FROM ${pch_owner})
      else()
        target_precompile_headers(${variant} PRIVATE ${FEATPIPE_PCH_HEADERS})
        set_property(GLOBAL PROPERTY FEATPIPE_PCH_${level} ${variant})
      endif()
    endif()
    set(object ${CMAKE_CURRENT_BINARY_DIR}/${variant}.o)
    set(objects "$<FILTER:$<TARGET_OBJECTS:${variant}>,EXCLUDE,\\.(gch|pch)$>")  # not the precompiled header (g++, clang)
    add_custom_command(OUTPUT ${object}
      COMMAND ${FEATPIPE_LD} -r --force-group-allocation -o ${object} ${objects}
      COMMAND ${FEATPIPE_OBJCOPY} --wildcard --keep-global-symbol=*isa_${level}* ${object}
      DEPENDS ${variant} ${objects}
      COMMAND_EXPAND_LISTS VERBATIM
      COMMENT "Linking the ${stage} kernels for ${level}")
    set_source_files_properties(${object} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
    target_sources(featpipe_${stage} PRIVATE ${object})
  endforeach()
endfunction()
