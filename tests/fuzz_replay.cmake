# Replay of the fuzz corpora in the ordinary test suite: each harness
# (fuzz/fuzz_*.c) is linked with fuzz/replay_main.c instead of libFuzzer,
# built by the normal compiler (and sanitizers, with GCA_SANITIZE), and
# runs every file of fuzz/corpus/<harness>/ as test fuzz/<harness>.
set(GCA_FUZZ_DIR ${CMAKE_SOURCE_DIR}/fuzz)
file(GLOB GCA_FUZZ_REPLAY_SOURCES CONFIGURE_DEPENDS ${GCA_FUZZ_DIR}/fuzz_*.c)
foreach(src ${GCA_FUZZ_REPLAY_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  set(target replay_${name})
  add_executable(${target} ${src} ${GCA_FUZZ_DIR}/fixture.c
                 ${GCA_FUZZ_DIR}/replay_main.c)
  target_include_directories(${target} PRIVATE ${CMAKE_SOURCE_DIR}/src
                             ${GCA_FUZZ_DIR})
  target_compile_definitions(${target} PRIVATE
                             GCA_FUZZ_ROOT="${CMAKE_SOURCE_DIR}")
  target_compile_options(${target} PRIVATE ${GCA_WARNINGS})
  target_link_libraries(${target} PRIVATE gca_http gca_static)
  add_test(NAME fuzz/${name}
           COMMAND ${target} ${GCA_FUZZ_DIR}/corpus/${name})
  set_tests_properties(fuzz/${name} PROPERTIES LABELS fuzz)
endforeach()
