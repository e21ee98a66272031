# cmake -DCLI=<tokenbench-cli> -DOUT_DIR=<dir> -P GenerateDocs.cmake
# Writes the man page (gzipped, as Debian installs them) and the bash/zsh completions from the CLI's
# hidden --man and --completions flags, i.e. from the same option definitions as --help.
function(tb_run_cli out)
    execute_process(COMMAND ${CLI} ${ARGN} OUTPUT_FILE ${OUT_DIR}/${out} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${CLI} ${ARGN} failed (${rc})")
    endif()
endfunction()

tb_run_cli(tokenbench-cli.1 --man)
tb_run_cli(tokenbench-cli.bash --completions bash)
tb_run_cli(_tokenbench-cli --completions zsh)
execute_process(COMMAND gzip -9nc ${OUT_DIR}/tokenbench-cli.1 OUTPUT_FILE ${OUT_DIR}/tokenbench-cli.1.gz
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip of the man page failed (${rc})")
endif()
