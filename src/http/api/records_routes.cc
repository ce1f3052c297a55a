// RegisterRecordRoutes: wires the record resources to one RecordService.
#include "http/api/api.h"
#include "http/api/record_json.h"

namespace gatehouse::http::api {

void RegisterRecordRoutes(Router& router, ApiContext& context) {
  auto service = std::make_shared<const service::RecordService>(*context.store, *context.clock);
  records::RegisterLeadRoutes(router, service);
  records::RegisterContactRoutes(router, service);
  records::RegisterCompanyRoutes(router, service);
  records::RegisterTaskRoutes(router, service);
  records::RegisterUnsortedRoutes(router, service);
  records::RegisterExportRoutes(router, service);
  records::RegisterCatalogRoutes(router, service);
  records::RegisterTalkRoutes(router, service);
}

}  // namespace gatehouse::http::api
