// The one translation unit that compiles Asio's TLS support (BOOST_ASIO_SEPARATE_COMPILATION,
// from gatehouse_asio): kept out of http/asio_impl.cc so that only this library, and not the
// server, links OpenSSL. <utility> first for the same reason as asio_impl.cc.
#include <utility>
// clang-format off: the order matters
#include <boost/asio/ssl/impl/src.hpp>
// clang-format on
