// The web console (web/), built by Vite and compiled into the binary: its files, to be served
// with http::RegisterStaticSite. Empty in a build configured with GATEHOUSE_CONSOLE=OFF.
#pragma once

#include <span>

#include "http/static_site.h"

namespace gatehouse::console {

std::span<const http::StaticFile> Files();

}  // namespace gatehouse::console
