// Store behaviour on every engine for account security: the security revision, sessions and
// tokens, the activity log's hash chain and its filters, settings, throttling and job leases.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "storage/store.h"
#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

class AuthStoreTest : public StoreTest {};

TEST_P(AuthStoreTest, SecurityRevisionMovesWithSecurityStateOnly) {
  AccountId a = NewAccount("acme");
  AccountId b = NewAccount("other");
  auto revision = [&](AccountId account) {
    auto r = store_->SecurityRevision(account);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : -1;
  };
  const std::int64_t start = revision(a);
  const std::uint64_t epoch = store_->security_epoch();
  // a's revision and the store's epoch have both moved `times` times since the start.
  auto expect_moved = [&](int times) {
    EXPECT_EQ(revision(a), start + times);
    EXPECT_EQ(store_->security_epoch(), epoch + times);
  };
  auto write_a = [&](const std::function<Status(AccountWriter&)>& body) {
    return store_->Write(a, body);
  };
  UserId u = NewUser(a, "u@acme.io");  // a user: security state
  expect_moved(1);
  EXPECT_EQ(revision(b), 0);  // only the changed account moves

  // A record write is not security state.
  ASSERT_TRUE(write_a([&](AccountWriter& w) -> Status {
                return w.Create(Lead{.name = "deal", .responsible_user_id = u}).status();
              }).ok());
  expect_moved(1);

  // A rolled-back change leaves both alone.
  EXPECT_FALSE(write_a([&](AccountWriter& w) -> Status {
                 GH_RETURN_IF_ERROR(w.CreateGroup("sales").status());
                 return Status::Error(Code::kInternal, "changed my mind");
               }).ok());
  expect_moved(1);

  // Tokens, sessions and settings are security state; one transaction moves it once.
  ASSERT_TRUE(write_a([&](AccountWriter& w) -> Status {
                GH_RETURN_IF_ERROR(
                    w.CreateApiToken({0, a, u, "ci", "rhash", "long_lived", 0, 1, 0, 0, false, ""})
                        .status());
                GH_RETURN_IF_ERROR(w.RevokeApiTokensOfUser(u).status());
                return w.DeleteSessions(u).status();
              }).ok());
  expect_moved(2);

  auto all = store_->SecurityRevisions();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], std::make_pair(a, start + 2));
  EXPECT_EQ((*all)[1], std::make_pair(b, std::int64_t{0}));
  EXPECT_EQ(store_->SecurityRevision(9999).status().code(), Code::kNotFound);
}

TEST_P(AuthStoreTest, SessionsAndTokens) {
  AccountId a = NewAccount("acme");
  UserId u = NewUser(a, "u@acme.io");
  ASSERT_TRUE(
      store_
          ->Write(a,
                  [&](AccountWriter& w) -> Status {
                    GH_RETURN_IF_ERROR(w.CreateSession(
                        {"s1", "hash1", a, u, "1.2.3.4", "curl", "unknown", false, 1, 1, 99}));
                    GH_RETURN_IF_ERROR(w.CreateSession(
                        {"s2", "hash2", a, u, "1.2.3.4", "curl", "unknown", false, 1, 2, 99}));
                    return w
                        .CreateApiToken(
                            {0, a, u, "ci", "thash", "long_lived", 0, 1, 0, 0, false, ""})
                        .status();
                  })
          .ok());
  auto session = store_->FindSession("hash1");
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->account_id, a);
  EXPECT_EQ(session->user_id, u);
  EXPECT_EQ(store_->FindSession("nope").status().code(), Code::kNotFound);
  std::int64_t ended = 0;
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(ended, w.DeleteSessions(u, "s2"));
                            return Status::Ok();
                          })
                  .ok());
  EXPECT_EQ(ended, 1);
  ASSERT_EQ(store_->Reader(a).ListSessions(u)->size(), 1u);
  auto token = store_->FindApiToken("thash");
  ASSERT_TRUE(token.ok());
  EXPECT_FALSE(token->revoked);
  ASSERT_TRUE(
      store_->Write(a, [&](AccountWriter& w) { return w.RevokeApiTokensOfUser(u).status(); }).ok());
  EXPECT_TRUE(store_->FindApiToken("thash")->revoked);
  // A session for a user of another account is refused.
  AccountId b = NewAccount("other");
  EXPECT_EQ(store_
                ->Write(b,
                        [&](AccountWriter& w) {
                          return w.CreateSession({"s3", "hash3", b, u, "", "", "", false, 1, 1, 9});
                        })
                .code(),
            Code::kInvalidArgument);
}

// Every column of every secret table reads back into the member it was written from.
TEST_P(AuthStoreTest, SecretRowsReadBackAsWritten) {
  AccountId a = NewAccount("acme");
  UserId u = NewUser(a, "u@acme.io");
  const SessionRow session{"s1", "shash", a, u, "10.0.0.7", "curl/8", "Lisbon", true, 11, 12, 13};
  ApiTokenRow token{0, a, u, "ci", "thash", "oauth_access", 0, 21, 22, 0, false, "grant-1"};
  OAuthIntegrationRow integration{0, "client-1", "secret-hash", "Sync", "https://x.io/cb", u, 31};
  OAuthCodeRow code{"chash", a, 0, u, "https://x.io/cb", 1000, false};
  OAuthRefreshRow refresh{"rhash", a, 0, u, 1001, false, "grant-1"};
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_RETURN_IF_ERROR(w.CreateSession(session));
                            GH_ASSIGN_OR_RETURN(integration.id,
                                                w.CreateOAuthIntegration(integration));
                            token.integration_id = integration.id;
                            code.integration_id = integration.id;
                            refresh.integration_id = integration.id;
                            GH_ASSIGN_OR_RETURN(token.id, w.CreateApiToken(token));
                            GH_RETURN_IF_ERROR(w.CreateOAuthCode(code));
                            return w.CreateOAuthRefresh(refresh);
                          })
                  .ok());
  EXPECT_EQ(*store_->FindSession("shash"), session);
  EXPECT_EQ(*store_->FindApiToken("thash"), token);
  auto found = store_->FindOAuthIntegration("client-1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->first, a);
  EXPECT_EQ(found->second, integration);
  OAuthCodeRow used_code = code;
  used_code.used = true;
  OAuthRefreshRow used_refresh = refresh;
  used_refresh.revoked = true;
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(OAuthCodeRow read, w.ConsumeOAuthCode("chash", 5));
                            EXPECT_EQ(read, used_code);
                            GH_ASSIGN_OR_RETURN(OAuthRefreshRow again,
                                                w.ConsumeOAuthRefresh("rhash", 5));
                            EXPECT_EQ(again, used_refresh);
                            return Status::Ok();
                          })
                  .ok());
}

TEST_P(AuthStoreTest, EventsFormAHashChainThatRevealsTampering) {
  AccountId a = NewAccount("acme");
  AccountId b = NewAccount("other");
  auto append = [&](AccountId account, const std::string& id, const std::string& after) {
    const EventRow e{.id = id,
                     .created_at = 100,
                     .type = "lead_added",
                     .entity_type = "lead",
                     .entity_id = 7,
                     .value_after_json = after,
                     .prev_hash = "ignored"};  // the writer links the event itself
    ASSERT_TRUE(store_->Write(account, [&](AccountWriter& w) { return w.AppendEvent(e); }).ok());
  };
  for (int i = 0; i < 4; ++i) append(a, "01C" + std::to_string(i), "[" + std::to_string(i) + "]");
  append(b, "01D0", "[]");  // another account has its own chain

  auto events = store_->Reader(a).ListEvents({});
  ASSERT_EQ(events->size(), 4u);
  // Newest first: seq 4..1, each linked to the one before.
  for (std::size_t i = 0; i < 4; ++i) {
    const EventRow& e = (*events)[i];
    EXPECT_EQ(e.seq, static_cast<std::int64_t>(4 - i));
    EXPECT_EQ(e.hash, EventChainHash(a, e));
    EXPECT_EQ(e.prev_hash, i + 1 < 4 ? (*events)[i + 1].hash : "");
  }
  EXPECT_EQ(store_->Reader(b).ListEvents({})->front().seq, 1);
  auto intact = store_->Reader(a).VerifyEventChain();
  ASSERT_TRUE(intact.ok()) << intact.status().ToString();
  EXPECT_TRUE(intact->intact());
  EXPECT_EQ(intact->checked, 4);
  EXPECT_EQ(intact->head_seq, 4);

  auto run = [&](const std::string& sql, std::vector<sql::Value> params) {
    auto c = store_->pool().Acquire();
    ASSERT_TRUE(c->Execute(sql, params).ok()) << sql;
  };
  // An edited value breaks that event's hash.
  run("UPDATE events SET value_after = ? WHERE account_id = ? AND seq = ?",
      {std::string("[99]"), a, std::int64_t{2}});
  auto edited = store_->Reader(a).VerifyEventChain();
  ASSERT_TRUE(edited.ok());
  ASSERT_FALSE(edited->intact());
  EXPECT_EQ(edited->first_break->seq, 2);
  EXPECT_EQ(edited->first_break->event_id, "01C1");
  EXPECT_EQ(edited->first_break->reason, "hash does not match the event's content");
  run("UPDATE events SET value_after = ? WHERE account_id = ? AND seq = ?",
      {std::string("[1]"), a, std::int64_t{2}});
  EXPECT_TRUE(store_->Reader(a).VerifyEventChain()->intact());

  // A removed event leaves a gap; a removed last event disagrees with the account's head.
  run("DELETE FROM events WHERE account_id = ? AND seq = ?", {a, std::int64_t{4}});
  auto truncated = store_->Reader(a).VerifyEventChain();
  ASSERT_FALSE(truncated->intact());
  EXPECT_EQ(truncated->first_break->seq, 4);
  run("DELETE FROM events WHERE account_id = ? AND seq = ?", {a, std::int64_t{2}});
  auto gap = store_->Reader(a).VerifyEventChain();
  ASSERT_FALSE(gap->intact());
  EXPECT_EQ(gap->first_break->seq, 2);
  EXPECT_EQ(gap->first_break->reason, "event 2 is missing");
  EXPECT_TRUE(store_->Reader(b).VerifyEventChain()->intact());
}

// PostgreSQL hashes the event in SQL (one statement that travels with the commit), SQLite in
// C++: both must hash every text exactly as EventChainHash does, multi-byte characters, quotes,
// empty values and several events of one transaction included.
TEST_P(AuthStoreTest, TheChainHashesAnyTextAsEventChainHashDoes) {
  AccountId a = NewAccount("acme");
  const std::vector<EventRow> inputs = {
      {"01U0", 1733000000, 0, "", "lead_added", "leads", 1, "", "", "", "", 0},
      {"01U1", 1733000001, 42, "2001:db8::1", "lead_updated", "leads", 9007199254740993,
       R"([{"name":"Café \"Ünïcode\" 日本語 🚀"}])", R"([{"name":"a;b:c"}])", "", "", 0},
      {"01U2", -5, 7, "10.0.0.1", "user_rights_changed", "users", -1, "[]", "{}", "", "", 0},
  };
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            for (const EventRow& e : inputs) GH_RETURN_IF_ERROR(w.AppendEvent(e));
                            return Status::Ok();
                          })
                  .ok());
  ASSERT_TRUE(store_->Write(a, [&](AccountWriter& w) { return w.AppendEvent(inputs[1]); }).code() ==
              Code::kAlreadyExists)
      << "an event id is used once";
  auto events = store_->Reader(a).ListEvents({});
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), inputs.size());
  for (const EventRow& e : *events) {
    const EventRow& in = inputs.at(static_cast<std::size_t>(e.seq - 1));
    EXPECT_EQ(e.id, in.id);
    EXPECT_EQ(e.value_before_json, in.value_before_json);
    EXPECT_EQ(e.entity_id, in.entity_id);
    EXPECT_EQ(e.hash, EventChainHash(a, e)) << "seq " << e.seq;
  }
  auto report = store_->Reader(a).VerifyEventChain();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->intact());
  EXPECT_EQ(report->head_seq, 3);
}

TEST_P(AuthStoreTest, ConcurrentAppendersNeverForkTheChain) {
  AccountId a = NewAccount("acme");
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const EventRow e{.id = "01T" + std::to_string(t) + "-" + std::to_string(1000 + i),
                         .type = "lead_added"};
        if (!store_->Write(a, [&](AccountWriter& w) { return w.AppendEvent(e); }).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto report = store_->Reader(a).VerifyEventChain();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->intact()) << report->first_break->reason;
  EXPECT_EQ(report->checked, kThreads * kEach);
  EXPECT_EQ(report->head_seq, kThreads * kEach);
}

TEST_P(AuthStoreTest, EventsAreScopedOrderedAndFiltered) {
  AccountId a = NewAccount("acme");
  AccountId b = NewAccount("other");
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            for (int i = 0; i < 5; ++i) {
                              GH_RETURN_IF_ERROR(w.AppendEvent(
                                  EventRow{.id = "01E" + std::to_string(i),
                                           .created_at = 100 + i,
                                           .type = i % 2 == 0 ? "login" : "lead_added",
                                           .entity_type = "leads",
                                           .entity_id = i}));
                            }
                            return Status::Ok();
                          })
                  .ok());
  ASSERT_TRUE(
      store_
          ->Write(b,
                  [&](AccountWriter& w) {
                    return w.AppendEvent({"01F0", 1, 0, "", "login", "", 0, "", "", "", ""});
                  })
          .ok());
  auto all = store_->Reader(a).ListEvents({});
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ(all->front().id, "01E4");  // newest first
  const EventQuery logins{.types = {"login"}, .before_id = "01E4"};
  auto filtered = store_->Reader(a).ListEvents(logins);
  ASSERT_EQ(filtered->size(), 2u);
  EXPECT_EQ(filtered->at(0).id, "01E2");
  EXPECT_EQ(store_->Reader(b).ListEvents({})->size(), 1u);
}

TEST_P(AuthStoreTest, GetEventAndExactValueFilters) {
  AccountId a = NewAccount("acme");
  AccountId b = NewAccount("other");
  const std::string status_2 = R"([{"lead_status":{"id":2,"pipeline_id":1}}])";
  const std::string status_3 = R"([{"lead_status":{"id":3,"pipeline_id":1}}])";
  ASSERT_TRUE(
      store_
          ->Write(a,
                  [&](AccountWriter& w) -> Status {
                    GH_RETURN_IF_ERROR(w.AppendEvent({"01G1", 1, 0, "", "lead_status_changed",
                                                      "lead", 7, status_2, status_3, "", ""}));
                    GH_RETURN_IF_ERROR(w.AppendEvent({"01G2", 2, 0, "", "lead_status_changed",
                                                      "lead", 7, status_3, status_2, "", ""}));
                    return w.AppendEvent(
                        {"01G3", 3, 0, "", "lead_added", "lead", 8, "[]", "[]", "", ""});
                  })
          .ok());
  ASSERT_TRUE(store_
                  ->Write(b,
                          [&](AccountWriter& w) {
                            return w.AppendEvent({"01H1", 1, 0, "", "lead_status_changed", "lead",
                                                  9, status_2, status_3, "", ""});
                          })
                  .ok());
  auto one = store_->Reader(a).GetEvent("01G2");
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->type, "lead_status_changed");
  EXPECT_EQ(one->value_after_json, status_2);
  EXPECT_EQ(store_->Reader(a).GetEvent("01H1").status().code(), Code::kNotFound);  // b's
  EXPECT_EQ(store_->Reader(a).GetEvent("nope").status().code(), Code::kNotFound);

  auto ids = [&](const EventQuery& q) {
    std::vector<std::string> out;
    auto events = store_->Reader(a).ListEvents(q);
    EXPECT_TRUE(events.ok());
    if (events.ok()) {
      for (const EventRow& e : *events) out.push_back(e.id);
    }
    return out;
  };
  const EventQuery after_3{.value_after = {status_3}};
  EXPECT_EQ(ids(after_3), std::vector<std::string>{"01G1"});  // not b's 01H1
  const EventQuery moved{.value_before = {status_3}, .value_after = {status_2}};
  EXPECT_EQ(ids(moved), std::vector<std::string>{"01G2"});
  const EventQuery either{.value_after = {status_2, status_3}};
  EXPECT_EQ(ids(either), (std::vector<std::string>{"01G2", "01G1"}));
  const EventQuery none{.value_after = {R"([{"lead_status":{"id":4,"pipeline_id":1}}])"}};
  EXPECT_TRUE(ids(none).empty());
}

TEST_P(AuthStoreTest, ListItemsUpdateOnlyWithinTheirListAndAccount) {
  AccountId a = NewAccount("acme");
  AccountId b = NewAccount("other");
  List products, services, theirs;
  ListItem widget, their_item;
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(products, w.CreateList("Products", 10));
                            GH_ASSIGN_OR_RETURN(services, w.CreateList("Services", 20));
                            GH_ASSIGN_OR_RETURN(
                                widget, w.CreateListItem(ListItem{.list_id = products.id,
                                                                  .name = "Widget",
                                                                  .custom_fields_json = "[]",
                                                                  .created_at = 5}));
                            return Status::Ok();
                          })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write(b,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(theirs, w.CreateList("Theirs", 10));
                            GH_ASSIGN_OR_RETURN(their_item,
                                                w.CreateListItem(ListItem{.list_id = theirs.id,
                                                                          .name = "Their widget"}));
                            return Status::Ok();
                          })
                  .ok());
  AccountReader r = store_->Reader(a);
  EXPECT_EQ(*r.GetListItem(products.id, widget.id), widget);
  EXPECT_EQ(r.GetListItem(services.id, widget.id).status().code(), Code::kNotFound);
  EXPECT_EQ(r.GetListItem(theirs.id, their_item.id).status().code(), Code::kNotFound);

  ListItem renamed = widget;
  renamed.name = "Widget Pro";
  renamed.custom_fields_json = R"([{"field_id":1}])";
  renamed.updated_at = 99;
  ASSERT_TRUE(store_->Write(a, [&](AccountWriter& w) { return w.UpdateListItem(renamed); }).ok());
  EXPECT_EQ(*r.GetListItem(products.id, widget.id), renamed);  // created_* kept
  auto update = [&](ListItem item) {
    return store_->Write(a, [&](AccountWriter& w) { return w.UpdateListItem(item); }).code();
  };
  ListItem other_list = renamed;
  other_list.list_id = services.id;
  other_list.name = "moved?";
  EXPECT_EQ(update(other_list), Code::kNotFound);
  ListItem foreign = their_item;
  foreign.name = "hijacked";
  EXPECT_EQ(update(foreign), Code::kNotFound);
  ListItem unnamed = renamed;
  unnamed.name = "";
  EXPECT_EQ(update(unnamed), Code::kInvalidArgument);
  EXPECT_EQ(*r.GetListItem(products.id, widget.id), renamed);
  EXPECT_EQ(store_->Reader(b).GetListItem(theirs.id, their_item.id)->name, "Their widget");
}

TEST_P(AuthStoreTest, SecuritySettingsThrottleAndInstallationKeys) {
  AccountId a = NewAccount("acme");
  EXPECT_EQ(store_->Reader(a).SecuritySettings()->ip_whitelist_json, "[]");
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_RETURN_IF_ERROR(w.PutSecuritySettings(
                                {"{\"require_2fa\":true}", "[\"10.0.0.0/8\"]", 5}));
                            return w.PutThrottle({"ip:1.2.3.4", 3, 10, 20});
                          })
                  .ok());
  EXPECT_EQ(*store_->Reader(a).SecuritySettings(),
            (SecuritySettingsRow{"{\"require_2fa\":true}", "[\"10.0.0.0/8\"]", 5}));
  EXPECT_EQ(store_->Reader(a).GetThrottle("ip:1.2.3.4")->value(),
            (ThrottleRow{"ip:1.2.3.4", 3, 10, 20}));
  EXPECT_FALSE(store_->Reader(a).GetThrottle("ip:9.9.9.9")->has_value());
  // A second put of the same key replaces every column but the key.
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_RETURN_IF_ERROR(w.PutSecuritySettings({"{}", "[]", 6}));
                            GH_RETURN_IF_ERROR(w.PutThrottle({"ip:1.2.3.4", 4, 11, 21}));
                            GH_ASSIGN_OR_RETURN(ThrottleRow locked, w.LockThrottle("ip:1.2.3.4"));
                            EXPECT_EQ(locked, (ThrottleRow{"ip:1.2.3.4", 4, 11, 21}));
                            GH_ASSIGN_OR_RETURN(ThrottleRow fresh, w.LockThrottle("ip:9.9.9.9"));
                            EXPECT_EQ(fresh, ThrottleRow{.key = "ip:9.9.9.9"});
                            return Status::Ok();
                          })
                  .ok());
  EXPECT_EQ(*store_->Reader(a).SecuritySettings(), (SecuritySettingsRow{"{}", "[]", 6}));
  EXPECT_EQ(store_->GetInstallationKey("jwt").status().code(), Code::kNotFound);
  EXPECT_EQ(*store_->PutInstallationKey("jwt", "first"), "first");
  EXPECT_EQ(*store_->PutInstallationKey("jwt", "second"), "first");  // first writer wins
}

TEST_P(AuthStoreTest, ApprovalsReadBackAsWrittenAndExpireWhenOverdue) {
  AccountId a = NewAccount("acme");
  UserId admin = NewUser(a, "admin@acme.io");
  ApprovalRow request{.kind = "admin_grant",
                      .target_id = admin,
                      .change_json = R"({"is_admin":true})",
                      .status = "pending",
                      .requested_by = admin,
                      .requested_at = 100,
                      .expires_at = 200};
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(request.id, w.CreateApproval(request));
                            GH_ASSIGN_OR_RETURN(ApprovalRow locked, w.LockApproval(request.id));
                            EXPECT_EQ(locked, request);
                            return Status::Ok();
                          })
                  .ok());
  EXPECT_EQ(*store_->Reader(a).GetApproval(request.id, 150), request);
  ApprovalRow expired = request;
  expired.status = "expired";
  expired.decided_at = 200;
  EXPECT_EQ(*store_->Reader(a).GetApproval(request.id, 200), expired);
  EXPECT_EQ(*store_->Reader(a).ListApprovals(250, "expired", 10, 0),
            std::vector<ApprovalRow>{expired});
  EXPECT_TRUE(store_->Reader(a).ListApprovals(250, "pending", 10, 0)->empty());
}

TEST_P(AuthStoreTest, JobLeasesGoToOneHolderUntilTheyExpire) {
  // Free: the first claim wins; a live lease is refused to anyone, its holder included.
  EXPECT_TRUE(*store_->ClaimLease("dormant_users", "a", 100, 200));
  EXPECT_FALSE(*store_->ClaimLease("dormant_users", "b", 150, 250));
  EXPECT_FALSE(*store_->ClaimLease("dormant_users", "a", 199, 299));
  EXPECT_TRUE(*store_->ClaimLease("other_job", "b", 150, 250)) << "one lease per job";
  // Expired at its expires_at: the next claim wins, and holds until its own expiry.
  EXPECT_TRUE(*store_->ClaimLease("dormant_users", "b", 200, 300));
  EXPECT_FALSE(*store_->ClaimLease("dormant_users", "a", 299, 399));
  EXPECT_TRUE(*store_->ClaimLease("dormant_users", "a", 300, 400));
}

TEST_P(AuthStoreTest, ConcurrentClaimsOfOneLeaseHaveOneWinner) {
  auto other = Store::Open(url_, 2);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  for (std::int64_t round = 0; round < 20; ++round) {
    const std::int64_t now = 1000 + round * 10;
    base::Result<bool> first = false, second = false;
    std::thread a([&] { first = store_->ClaimLease("job", "a", now, now + 10); });
    std::thread b([&] { second = (*other)->ClaimLease("job", "b", now, now + 10); });
    a.join();
    b.join();
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    ASSERT_TRUE(second.ok()) << second.status().ToString();
    EXPECT_NE(*first, *second) << "round " << round;
  }
}

TEST_P(AuthStoreTest, ReactivationTimeIsStored) {
  AccountId a = NewAccount("acme");
  UserId id = 0;
  ASSERT_TRUE(
      store_
          ->Write(a,
                  [&](AccountWriter& w) -> Status {
                    const UserRow row{
                        .user = {.name = "Ann", .email = "ann@acme.test", .is_active = true},
                        .reactivated_at = 77};
                    GH_ASSIGN_OR_RETURN(id, w.CreateUser(row));
                    return Status::Ok();
                  })
          .ok());
  EXPECT_EQ(store_->Reader(a).GetUser(id)->reactivated_at, 77);
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(UserRow row, w.GetUser(id));
                            row.reactivated_at = 88;
                            return w.UpdateUser(row);
                          })
                  .ok());
  EXPECT_EQ(store_->Reader(a).GetUser(id)->reactivated_at, 88);
  EXPECT_EQ(store_->Reader(a).ListUsers()->back().reactivated_at, 88);
}

GH_INSTANTIATE_STORE_TEST(AuthStoreTest);

}  // namespace
}  // namespace gatehouse::storage
