#include "auth/qr.h"

#include <gtest/gtest.h>

#include <regex>

namespace gatehouse::auth {
namespace {

constexpr char kUri[] =
    "otpauth://totp/Gatehouse:anna%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    "&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30";

// A 7x7 finder pattern at (x0, y0): dark ring, light ring, dark 3x3 core.
bool IsFinder(const QrMatrix& m, int x0, int y0) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      bool ring = x == 0 || y == 0 || x == 6 || y == 6;
      bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      if (m.At(x0 + x, y0 + y) != (ring || core)) return false;
    }
  }
  return true;
}

TEST(QrTest, MatrixHasFinderPatternsAndAValidSize) {
  auto m = EncodeQr(kUri);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  // Version v is 17 + 4v modules wide; this URI needs more than version 1.
  EXPECT_EQ((m->width - 17) % 4, 0);
  EXPECT_GT(m->width, 21);
  EXPECT_TRUE(IsFinder(*m, 0, 0));
  EXPECT_TRUE(IsFinder(*m, m->width - 7, 0));
  EXPECT_TRUE(IsFinder(*m, 0, m->width - 7));
  EXPECT_FALSE(IsFinder(*m, m->width - 7, m->width - 7));
}

TEST(QrTest, SvgIsOnePathWithQuietZone) {
  auto m = EncodeQr(kUri);
  auto svg = QrSvg(kUri, 5);
  ASSERT_TRUE(m.ok() && svg.ok());
  const int size = m->width + 2 * kQrQuietZoneModules;
  EXPECT_EQ(svg->rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg->find("viewBox=\"0 0 " + std::to_string(size) + " " + std::to_string(size) + "\""),
            std::string::npos);
  EXPECT_NE(svg->find("width=\"" + std::to_string(size * 5) + "\""), std::string::npos);
  EXPECT_EQ(svg->substr(svg->size() - 6), "</svg>");
  // Exactly one path.
  std::size_t first = svg->find("<path");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(svg->find("<path", first + 1), std::string::npos);
  // Every run starts inside the quiet zone border and the dark area adds up to the modules.
  std::regex run("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  long dark_in_svg = 0;
  for (auto it = std::sregex_iterator(svg->begin(), svg->end(), run); it != std::sregex_iterator();
       ++it) {
    int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), w = std::stoi((*it)[3]);
    EXPECT_GE(x, kQrQuietZoneModules);
    EXPECT_GE(y, kQrQuietZoneModules);
    EXPECT_LE(x + w, kQrQuietZoneModules + m->width);
    EXPECT_LT(y, kQrQuietZoneModules + m->width);
    EXPECT_EQ((*it)[3], (*it)[4]);
    for (int i = 0; i < w; ++i) {
      EXPECT_TRUE(m->At(x - kQrQuietZoneModules + i, y - kQrQuietZoneModules));
    }
    dark_in_svg += w;
  }
  long dark = 0;
  for (bool d : m->dark) dark += d;
  EXPECT_EQ(dark_in_svg, dark);
}

TEST(QrTest, BadInputIsAnError) {
  EXPECT_EQ(EncodeQr("").status().code(), base::Code::kInvalidArgument);
  EXPECT_EQ(EncodeQr(std::string("a\0b", 3)).status().code(), base::Code::kInvalidArgument);
  EXPECT_EQ(EncodeQr(std::string(4000, 'x')).status().code(), base::Code::kInvalidArgument);
  EXPECT_FALSE(QrSvg(kUri, 0).ok());
  EXPECT_FALSE(QrSvg(kUri, 65).ok());
}

}  // namespace
}  // namespace gatehouse::auth
