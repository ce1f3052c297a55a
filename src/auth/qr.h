// QR codes (libqrencode) rendered as SVG, for 2FA enrolment (the otpauth:// URI).
//
// SVG grammar: <svg xmlns=… viewBox="0 0 W W" width=W*scale height=W*scale shape-rendering=
// "crispEdges"> <rect … fill="#fff"/> <path fill="#000" d="M x y h1v1h-1z …"/> </svg>, where
// W = modules + 2 * quiet zone, one path holding a unit square per dark module (horizontal runs
// merged).
// Thread-safety: thread-safe (libqrencode is reentrant when built with pthreads, as on Debian).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace gatehouse::auth {

inline constexpr int kQrQuietZoneModules = 4;  // the QR specification's minimum

// The module matrix: `width` x `width`, row-major, true = dark.
struct QrMatrix {
  int width = 0;
  std::vector<bool> dark{};

  bool At(int x, int y) const { return dark[static_cast<std::size_t>(y) * width + x]; }
};

// Encodes `text` (8-bit mode, error correction level M, smallest version that fits).
// kInvalidArgument when it is empty or too long for a QR code.
base::Result<QrMatrix> EncodeQr(std::string_view text);

// The SVG of EncodeQr(text) with a 4-module quiet zone, each module `scale` px (1..64).
base::Result<std::string> QrSvg(std::string_view text, int scale = 4);

}  // namespace gatehouse::auth
