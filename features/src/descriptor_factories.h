#pragma once
// Private: one registry entry per local-descriptor name, each defined in the descriptor's own file beside
// the parsing of its spec term; descriptor.cpp lists them in descriptor_registry().
#include "featpipe/features/descriptor.h"

namespace featpipe::features {

RegistryEntry<DescriptorFactory> sift_entry();
RegistryEntry<DescriptorFactory> dsift_entry();
RegistryEntry<DescriptorFactory> patch_entry();

}  // namespace featpipe::features
