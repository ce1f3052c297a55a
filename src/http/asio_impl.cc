// The one translation unit that compiles Asio and Beast (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are public definitions of gatehouse_asio), so every other
// Beast TU compiles only declarations. <utility> first: Boost 1.74 Asio uses std::exchange
// without including it (../../STACK.md).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <utility>
