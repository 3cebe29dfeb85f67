# Generates the ANTLR4 parser from grammar/ at build time.
# Debian's antlr4_generate() calls `java -jar antlr4.jar`, which fails with NoClassDefFoundError,
# so the `antlr4` wrapper is called directly.
find_program(ANTLR4_TOOL antlr4 REQUIRED)

function(polc_antlr_parser grammar_file out_var)
  get_filename_component(name ${grammar_file} NAME_WE)
  set(gen_dir ${CMAKE_BINARY_DIR}/generated/antlr)
  set(outputs
    ${gen_dir}/${name}.cpp ${gen_dir}/${name}.h
    ${gen_dir}/${name}BaseVisitor.cpp ${gen_dir}/${name}BaseVisitor.h
    ${gen_dir}/${name}Visitor.cpp ${gen_dir}/${name}Visitor.h)
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gen_dir}
    COMMAND ${ANTLR4_TOOL} -Dlanguage=Cpp -visitor -no-listener -Xexact-output-dir
            -package polc::grammar -o ${gen_dir} ${grammar_file}
    DEPENDS ${grammar_file}
    COMMENT "Generating the ANTLR parser from ${name}.g4"
    VERBATIM)
  set(${out_var} ${outputs} PARENT_SCOPE)
  set(POLC_ANTLR_GEN_DIR ${gen_dir} PARENT_SCOPE)
endfunction()
