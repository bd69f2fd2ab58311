# The recipes in the build tree, <build>/pipelines/lib/*.sh and <build>/pipelines/<dataset>/run.sh, copied
# at build time: run from there, they find the featpipe built beside them (<build>/featpipe,
# lib/stages.sh), with featpipe not on PATH and the build tree anywhere, not only <src>/build.
file(GLOB featpipe_recipe_files CONFIGURE_DEPENDS RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
  ${CMAKE_CURRENT_SOURCE_DIR}/pipelines/lib/*.sh ${CMAKE_CURRENT_SOURCE_DIR}/pipelines/*/run.sh)
set(featpipe_recipe_copies "")
foreach(file ${featpipe_recipe_files})
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/${file}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${CMAKE_CURRENT_SOURCE_DIR}/${file} ${CMAKE_BINARY_DIR}/${file}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${file} VERBATIM)
  list(APPEND featpipe_recipe_copies ${CMAKE_BINARY_DIR}/${file})
endforeach()
add_custom_target(featpipe_recipes ALL DEPENDS ${featpipe_recipe_copies})
add_dependencies(featpipe featpipe_recipes)
