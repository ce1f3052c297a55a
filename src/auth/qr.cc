#include "auth/qr.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace gatehouse::auth {
namespace {

struct QrDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

base::Result<QrMatrix> EncodeQr(std::string_view text) {
  if (text.empty()) return base::Status::Invalid("QR text is empty");
  if (text.find('\0') != std::string_view::npos) {
    return base::Status::Invalid("QR text contains a NUL byte");
  }
  std::string input(text);
  errno = 0;
  std::unique_ptr<QRcode, QrDeleter> code(QRcode_encodeString(input.c_str(), /*version=*/0,
                                                              QR_ECLEVEL_M, QR_MODE_8,
                                                              /*casesensitive=*/1));
  if (!code) {
    if (errno == ERANGE) return base::Status::Invalid("QR text is too long");
    return base::Status::Internal("QR encoding failed");
  }
  QrMatrix m;
  m.width = code->width;
  m.dark.resize(static_cast<std::size_t>(m.width) * m.width);
  for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
  return m;
}

base::Result<std::string> QrSvg(std::string_view text, int scale) {
  if (scale < 1 || scale > 64) return base::Status::Invalid("QR scale must be 1..64");
  GH_ASSIGN_OR_RETURN(QrMatrix m, EncodeQr(text));
  const int size = m.width + 2 * kQrQuietZoneModules;
  const std::string dim = std::to_string(size);
  const std::string px = std::to_string(size * scale);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + dim + " " + dim +
                    "\" width=\"" + px + "\" height=\"" + px +
                    "\" shape-rendering=\"crispEdges\">"
                    "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One subpath per horizontal run of dark modules: far fewer bytes than one square each.
  for (int y = 0; y < m.width; ++y) {
    for (int x = 0; x < m.width;) {
      if (!m.At(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < m.width && m.At(x + run, y)) ++run;
      svg += "M" + std::to_string(x + kQrQuietZoneModules) + " " +
             std::to_string(y + kQrQuietZoneModules) + "h" + std::to_string(run) + "v1h-" +
             std::to_string(run) + "z";
      x += run;
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace gatehouse::auth
