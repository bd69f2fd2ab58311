#pragma once
// Class names, wherever they come from (a folder of class folders, CIFAR's batches.meta.txt, a store's or a
// model's /class_names): one check, so that a name that cannot be printed on one line or told apart from
// another never reaches a table, a report or `predict`'s output.
#include <string>
#include <vector>

namespace featpipe::data {

/// InputError naming `source` when a name is empty, repeats an earlier one, or holds a control character
/// (a NUL byte, a newline, a tab, ...): the message gives the name's position and the name as escaped text.
void check_class_names(const std::vector<std::string>& names, const std::string& source);

}  // namespace featpipe::data
