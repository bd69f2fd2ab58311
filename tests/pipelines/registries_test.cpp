// Every registry of named things: names unique and non-empty, one-line help, parameters with a key and a
// meaning, and a help text that names every entry.
#include <gtest/gtest.h>

#include <set>

#include "featpipe/classify/loss.h"
#include "featpipe/classify/optimizer.h"
#include "featpipe/classify/regularizer.h"
#include "featpipe/classify/schedule.h"
#include "featpipe/features/descriptor.h"
#include "featpipe/features/extractor.h"
#include "featpipe/vocab/encoder.h"
#include "featpipe/vocab/kernel_map.h"
#include "featpipe/vocab/normalize.h"

namespace featpipe {
namespace {

template <typename Value>
void expect_well_formed(const Registry<Value>& registry) {
  SCOPED_TRACE(registry.kind() + " registry");
  EXPECT_GT(registry.size(), 0u);
  std::set<std::string> names;
  for (const auto& entry : registry) {
    EXPECT_FALSE(entry.name.empty());
    EXPECT_TRUE(names.insert(entry.name).second) << "'" << entry.name << "' is registered twice";
    EXPECT_FALSE(entry.help.empty()) << entry.name;
    EXPECT_EQ(entry.help.find('\n'), std::string::npos) << entry.name << ": help is one line";
    std::set<std::string> keys;
    for (const ParamHelp& p : entry.params) {
      EXPECT_FALSE(p.key.empty()) << entry.name;
      EXPECT_FALSE(p.meaning.empty()) << entry.name << " " << p.key;
      EXPECT_TRUE(keys.insert(p.key).second) << entry.name << " " << p.key;
    }
    EXPECT_NE(registry.help().find(entry.name + "  "), std::string::npos) << entry.name;
  }
}

TEST(Registries, NamesAreUniqueAndEveryEntryHasHelp) {
  expect_well_formed(features::extractor_registry());
  expect_well_formed(features::descriptor_registry());
  expect_well_formed(vocab::encoding_registry());
  expect_well_formed(vocab::norm_registry());
  expect_well_formed(vocab::kernel_registry());
  expect_well_formed(classify::loss_registry());
  expect_well_formed(classify::regularizer_registry());
  expect_well_formed(classify::optimizer_registry());
  expect_well_formed(classify::schedule_registry());
}

TEST(Registries, EnumNamesRoundTrip) {
  for (const auto& e : vocab::encoding_registry())
    EXPECT_EQ(vocab::to_string(vocab::parse_encoding(e.name)), e.name);
  for (const auto& e : vocab::kernel_registry()) {
    EXPECT_EQ(vocab::to_string(vocab::parse_additive_kernel(e.name)), e.name);
  }
  for (const auto& e : vocab::norm_registry()) EXPECT_EQ(vocab::parse_norm(e.name).at(0).kind, e.value);
}

/// Each documented parameter, written alone with its documented default, builds what the bare name builds;
/// where a parameter applies only with another setting (hog's sigma is for dalaltriggs), the key is still
/// known and the refusal says why.
template <typename Value, typename Make>
void expect_documented_defaults(const Registry<Value>& registry, Make make) {
  for (const auto& entry : registry) {
    const std::string bare = make(entry.name)->spec();
    for (const ParamHelp& p : entry.params) {
      if (p.default_value.empty()) continue;
      const std::string spec = entry.name + "(" + p.key + "=" + p.default_value + ")";
      try {
        EXPECT_EQ(make(spec)->spec(), bare) << spec;
      } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()).find("unknown parameter"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(p.key), std::string::npos) << e.what();
      }
    }
  }
}

TEST(Registries, DocumentedDefaultsAreTheDefaults) {
  expect_documented_defaults(features::extractor_registry(),
                             [](const std::string& spec) { return features::make_extractor(spec); });
  expect_documented_defaults(features::descriptor_registry(),
                             [](const std::string& spec) { return features::make_descriptor(spec); });
}

TEST(Registries, UnknownNamesSuggestTheClosest) {
  try {
    features::make_extractor("hog+huehst");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown extractor 'huehst'; known: raw, "), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("did you mean 'huehist'?"), std::string::npos) << e.what();
  }
  EXPECT_THROW(features::make_descriptor("dsfit"), std::invalid_argument);
  EXPECT_THROW(vocab::parse_norm("l2+helinger"), std::invalid_argument);
}

}  // namespace
}  // namespace featpipe
