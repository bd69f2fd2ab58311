#pragma once
// Private: the entry point of each subcommand, one cmd_<name>.cpp each.
#include <string>
#include <vector>

namespace featpipe::pipelines {

int run_datasets(const std::vector<std::string>& args);
int run_extract(const std::vector<std::string>& args);
int run_descriptors(const std::vector<std::string>& args);
int run_match(const std::vector<std::string>& args);
int run_inspect(const std::vector<std::string>& args);
int run_predict(const std::vector<std::string>& args);
int run_compare(const std::vector<std::string>& args);
int run_train(const std::vector<std::string>& args);
int run_eval(const std::vector<std::string>& args);
int run_sweep(const std::vector<std::string>& args);
int run_gradcheck(const std::vector<std::string>& args);
int run_vocab(const std::vector<std::string>& args);
int run_encode(const std::vector<std::string>& args);
int run_verify(const std::vector<std::string>& args);
int run_merge(const std::vector<std::string>& args);

}  // namespace featpipe::pipelines
