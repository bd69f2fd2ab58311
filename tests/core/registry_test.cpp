// The generic registry: lookup, the unknown-name message with the known names and a suggestion, reverse
// lookup of values, and the help text.
#include "featpipe/core/registry.h"

#include <gtest/gtest.h>

namespace featpipe {
namespace {

enum class Colour { red, green, blue };

const Registry<Colour>& colours() {
  static const Registry<Colour> registry(
      "colour",
      {{"red", "long waves", {{"shade", "0.5", "how dark"}, {"gloss", "0", "1: shiny"}}, Colour::red},
       {"green", "middle waves", {}, Colour::green},
       {"blue", "short waves", {{"shade", "0.25", "how dark"}}, Colour::blue}});
  return registry;
}

std::string unknown_message(const std::string& name) {
  try {
    colours().at(name);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}

TEST(EditDistance, CountsSingleByteEdits) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("", "ab"), 2u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("softmax", "softmx"), 1u);
  EXPECT_EQ(edit_distance("flaw", "lawn"), 2u);
  EXPECT_EQ(edit_distance("abc", "abc"), 0u);
}

TEST(Registry, FindsEntriesByNameAndByValue) {
  EXPECT_EQ(colours().kind(), "colour");
  EXPECT_EQ(colours().size(), 3u);
  EXPECT_EQ(colours().at("green").value, Colour::green);
  EXPECT_EQ(colours().at("red").params.size(), 2u);
  EXPECT_EQ(colours().find("purple"), nullptr);
  EXPECT_EQ(colours().entry_of(Colour::blue).name, "blue");
  EXPECT_EQ(colours().names(), (std::vector<std::string>{"red", "green", "blue"}));
  EXPECT_EQ(colours().joined_names(" | "), "red | green | blue");
  std::vector<std::string> seen;
  for (const auto& entry : colours()) seen.push_back(entry.name);
  EXPECT_EQ(seen, colours().names());
}

TEST(Registry, UnknownNamesListTheKnownOnes) {
  EXPECT_EQ(unknown_message("purple"), "unknown colour 'purple'; known: red, green, blue");
  EXPECT_EQ(unknown_message(""), "unknown colour ''; known: red, green, blue");
}

TEST(Registry, UnknownNamesWithinTwoEditsGetASuggestion) {
  EXPECT_EQ(unknown_message("gren"), "unknown colour 'gren'; known: red, green, blue; did you mean 'green'?");
  EXPECT_EQ(unknown_message("bleu"), "unknown colour 'bleu'; known: red, green, blue; did you mean 'blue'?");
  // Three edits away: no suggestion. A one-letter name is never "two edits from" a longer one.
  EXPECT_EQ(unknown_message("grxxn1").find("did you mean"), std::string::npos);
  EXPECT_EQ(unknown_message("x").find("did you mean"), std::string::npos);
  // Ties go to the first registered: "rue" is two edits from both red and blue.
  EXPECT_NE(unknown_message("rue").find("did you mean 'red'?"), std::string::npos) << unknown_message("rue");
}

TEST(Registry, HelpListsEveryEntryWithItsParametersAndDefaults) {
  EXPECT_EQ(colours().help(),
            "red    long waves\n"
            "    shade=0.5  how dark\n"
            "    gloss=0    1: shiny\n"
            "green  middle waves\n"
            "blue   short waves\n"
            "    shade=0.25  how dark\n");
  EXPECT_EQ(param_keys(colours().at("red").params), (std::vector<std::string>{"shade", "gloss"}));
}

TEST(Registry, RefusesRepeatedAndEmptyNames) {
  using Entry = RegistryEntry<int>;
  EXPECT_THROW(Registry<int>("number", {Entry{"one", "1", {}, 1}, Entry{"one", "uno", {}, 1}}),
               std::logic_error);
  EXPECT_THROW(Registry<int>("number", {Entry{"", "nothing", {}, 0}}), std::logic_error);
}

}  // namespace
}  // namespace featpipe
