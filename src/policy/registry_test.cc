#include "policy/registry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace gatehouse::policy {
namespace {

std::shared_ptr<const AccountPolicy> Build(domain::AccountId account_id) {
  domain::AccountModel model{.id = account_id};
  model.users.push_back({.id = 1});
  return AccountPolicy::Build(model);
}

TEST(RegistryTest, PublishGetRemove) {
  PolicyRegistry registry;
  EXPECT_EQ(registry.Get(1), nullptr);
  auto one = Build(1);
  auto two = Build(2);
  registry.Publish(one);
  registry.Publish(two);
  EXPECT_EQ(registry.Get(1), one);
  EXPECT_EQ(registry.Get(2), two);
  auto newer = Build(1);
  registry.Publish(newer);
  EXPECT_EQ(registry.Get(1), newer);
  registry.Publish(one);  // an older snapshot never replaces a newer one
  EXPECT_EQ(registry.Get(1), newer);
  registry.Publish(nullptr);
  registry.Remove(1);
  EXPECT_EQ(registry.Get(1), nullptr);
  EXPECT_EQ(registry.Get(2), two);
  registry.Remove(42);
  EXPECT_EQ(registry.Get(2), two);
}

TEST(RegistryTest, ReadersSeeWholeSnapshotsWhileWritersPublish) {
  PolicyRegistry registry;
  registry.Publish(Build(1));
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      std::uint64_t last_version = 0;
      while (!stop.load()) {
        auto policy = registry.Get(1);
        if (policy == nullptr || policy->account_id() != 1 ||
            policy->Check(1, domain::Action::kView, {}).rule != Rule::kGeneralRight ||
            policy->version() < last_version) {
          bad.fetch_add(1);
        } else {
          last_version = policy->version();
        }
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&registry, w] {
      for (int i = 0; i < 200; ++i) registry.Publish(Build(w == 0 ? 1 : 100 + i % 10));
    });
  }
  for (auto& t : writers) t.join();
  stop.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  for (int i = 0; i < 10; ++i) EXPECT_NE(registry.Get(100 + i), nullptr) << i;
}

}  // namespace
}  // namespace gatehouse::policy
