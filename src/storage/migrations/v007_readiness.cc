// Version 7: the readiness heartbeat, one row the readiness probe updates (Store::CheckWritable)
// to prove that a write reaches the disk and commits.
#include <string_view>

namespace gatehouse::storage::migrations {

extern const std::string_view kV7Schema;
const std::string_view kV7Schema = R"sql(
CREATE TABLE readiness_heartbeat (
  id INTEGER NOT NULL PRIMARY KEY,
  beats BIGINT NOT NULL
);
INSERT INTO readiness_heartbeat (id, beats) VALUES (1, 0);
)sql";

}  // namespace gatehouse::storage::migrations
