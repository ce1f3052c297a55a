// CSV responses (RFC 4180) for the export endpoints.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "http/response.h"

namespace gatehouse::http::api::csv {

// One cell: quoted when it holds a comma, quote or line break; text a spreadsheet would run as
// a formula (starting with =, +, -, @, tab or CR) gets a leading quote mark first.
std::string Text(std::string_view text);
inline std::string Int(std::int64_t value) { return std::to_string(value); }

// Appends one row of already-encoded cells, ended by CRLF.
void Row(std::string& out, std::initializer_list<std::string> cells);

// 200 text/csv, offered as the download "<name>.csv".
Response Download(std::string body, std::string_view name);

}  // namespace gatehouse::http::api::csv
