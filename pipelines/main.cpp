#include "featpipe/pipelines/command.h"

int main(int argc, char** argv) { return featpipe::pipelines::run_command(argc, argv); }
