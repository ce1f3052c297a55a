// A build without the web console (GATEHOUSE_CONSOLE=OFF): pages answer 503 saying so.
#include "console/assets.h"

namespace gatehouse::console {

std::span<const http::StaticFile> Files() { return {}; }

}  // namespace gatehouse::console
