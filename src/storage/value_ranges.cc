#include "storage/value_ranges.h"

#include <string>

namespace gatehouse::storage {

base::Status CheckRange(std::string_view field, std::int64_t value, std::int64_t min,
                        std::int64_t max, std::string_view what) {
  if (value >= min && value <= max) return base::Status::Ok();
  return base::Status::InvalidField(std::string(field), "Invalid",
                                    std::string(field) + " must be " + std::string(what) +
                                        " between " + std::to_string(min) + " and " +
                                        std::to_string(max));
}

}  // namespace gatehouse::storage
