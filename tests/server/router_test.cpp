// The router and the error table, without sockets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "server/http_server.hpp"

namespace assure::server {
namespace {

Request Make(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.target = request.path;
  return request;
}

Response Text(std::string body) {
  Response response;
  response.body = std::move(body);
  return response;
}

std::string Header(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(RouterTest, CapturesDecodedParams) {
  Router router;
  router.Add("GET", "/api/v1/authorities/{id}/posts/{post}",
             [](const Request&, const Params& params) {
               return Text(params.at("id") + "|" + params.at("post"));
             });
  Response response = router.Handle(Make("GET", "/api/v1/authorities/twin%20hatter/posts/dcs"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "twin hatter|dcs");
}

TEST(RouterTest, ParamDoesNotMatchEmptySegmentOrOtherLengths) {
  Router router;
  router.Add("GET", "/a/{id}", [](const Request&, const Params&) { return Text("a"); });
  EXPECT_EQ(router.Handle(Make("GET", "/a/")).status, 404);
  EXPECT_EQ(router.Handle(Make("GET", "/a")).status, 404);
  EXPECT_EQ(router.Handle(Make("GET", "/a/x/y")).status, 404);
  EXPECT_EQ(router.Handle(Make("GET", "/a/x")).status, 200);
}

TEST(RouterTest, LiteralSegmentWinsOverParam) {
  Router router;
  router.Add("GET", "/a/{id}", [](const Request&, const Params&) { return Text("param"); });
  router.Add("GET", "/a/new", [](const Request&, const Params&) { return Text("literal"); });
  EXPECT_EQ(router.Handle(Make("GET", "/a/new")).body, "literal");
  EXPECT_EQ(router.Handle(Make("GET", "/a/old")).body, "param");
}

TEST(RouterTest, UnknownPathIsNotFoundJson) {
  Router router;
  router.Add("GET", "/a", [](const Request&, const Params&) { return Text("a"); });
  Response response = router.Handle(Make("GET", "/b"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_EQ(body["error"]["field"], "path");
}

TEST(RouterTest, OtherMethodIsMethodNotAllowedWithAllow) {
  Router router;
  router.Add("GET", "/a/{id}", [](const Request&, const Params&) { return Text("a"); });
  router.Add("PUT", "/a/{id}", [](const Request&, const Params&) { return Text("a"); });
  Response response = router.Handle(Make("DELETE", "/a/1"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(Header(response, "Allow"), "GET, HEAD, PUT");
  EXPECT_EQ(nlohmann::json::parse(response.body)["error"]["code"], "method_not_allowed");
}

TEST(RouterTest, HeadUsesGet) {
  Router router;
  router.Add("GET", "/a", [](const Request&, const Params&) { return Text("a"); });
  EXPECT_EQ(router.Handle(Make("HEAD", "/a")).status, 200);
}

TEST(RouterTest, ThrowingHandlerIsInternalErrorWithDetailForTheLog) {
  Router router;
  router.Add("GET", "/boom", [](const Request&, const Params&) -> Response {
    throw std::runtime_error("database said no");
  });
  std::string failure;
  Response response = router.Handle(Make("GET", "/boom"), &failure);
  EXPECT_EQ(response.status, 500);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["error"]["code"], "internal");
  EXPECT_EQ(body["error"]["message"].get<std::string>().find("database"), std::string::npos);
  EXPECT_EQ(failure, "database said no");
}

TEST(RouterTest, HasPath) {
  Router router;
  router.Add("POST", "/a/{id}", [](const Request&, const Params&) { return Text("a"); });
  EXPECT_TRUE(router.HasPath("/a/1"));
  EXPECT_FALSE(router.HasPath("/a"));
}

struct ErrorCase {
  ErrorCode code;
  int status;
  const char* name;
};

class ErrorResponseTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorResponseTest, MapsCodeToStatusAndJson) {
  const ErrorCase& c = GetParam();
  Error error;
  error.code = c.code;
  error.file = "council.yaml";
  error.line = 4;
  error.field = "posts[2].holder";
  error.message = "no person has the id 'dee'";
  Response response = ErrorResponse(error);
  EXPECT_EQ(response.status, c.status);
  EXPECT_EQ(HttpStatus(c.code), c.status);
  EXPECT_EQ(ErrorCodeName(c.code), c.name);
  EXPECT_EQ(response.content_type, "application/json");
  auto body = nlohmann::json::parse(response.body);
  if (c.code == ErrorCode::kUnavailable || c.code == ErrorCode::kInternal) {
    // Words from inside (a database's, a library's) go to the log, not to the client.
    EXPECT_EQ(body["error"]["code"], c.name);
    EXPECT_EQ(response.body.find("dee"), std::string::npos) << response.body;
    EXPECT_FALSE(body["error"].contains("field"));
    EXPECT_EQ(response.detail, "no person has the id 'dee'");
    return;
  }
  EXPECT_EQ(body, (nlohmann::json{{"error",
                                   {{"code", c.name},
                                    {"message", "no person has the id 'dee'"},
                                    {"field", "posts[2].holder"}}}}));
  EXPECT_EQ(response.detail, "");
}

INSTANTIATE_TEST_SUITE_P(EveryCode, ErrorResponseTest,
                         ::testing::Values(ErrorCase{ErrorCode::kInvalid, 400, "invalid"},
                                           ErrorCase{ErrorCode::kNotFound, 404, "not_found"},
                                           ErrorCase{ErrorCode::kConflict, 409, "conflict"},
                                           ErrorCase{ErrorCode::kUnauthorized, 401, "unauthorized"},
                                           ErrorCase{ErrorCode::kForbidden, 403, "forbidden"},
                                           ErrorCase{ErrorCode::kUnavailable, 503, "unavailable"},
                                           ErrorCase{ErrorCode::kInternal, 500, "internal"}));

TEST(ErrorResponseTest, FieldLeftOutWhenEmpty) {
  Error error;
  error.code = ErrorCode::kConflict;
  error.message = "changed by someone else";
  auto body = nlohmann::json::parse(ErrorResponse(error).body);
  EXPECT_FALSE(body["error"].contains("field"));
}

}  // namespace
}  // namespace assure::server
