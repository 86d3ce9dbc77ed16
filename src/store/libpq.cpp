#include "store/libpq.hpp"

#include <dlfcn.h>

#include <mutex>

namespace assure::store::pq {
namespace {

struct Functions {
  decltype(&PQconnectdb) connectdb = nullptr;
  decltype(&PQstatus) status = nullptr;
  decltype(&PQerrorMessage) errorMessage = nullptr;
  decltype(&PQfinish) finish = nullptr;
  decltype(&PQreset) reset = nullptr;
  decltype(&PQsetNoticeProcessor) setNoticeProcessor = nullptr;
  decltype(&PQexec) exec = nullptr;
  decltype(&PQexecParams) execParams = nullptr;
  decltype(&PQprepare) prepare = nullptr;
  decltype(&PQexecPrepared) execPrepared = nullptr;
  decltype(&PQresultStatus) resultStatus = nullptr;
  decltype(&PQresultErrorField) resultErrorField = nullptr;
  decltype(&PQntuples) ntuples = nullptr;
  decltype(&PQgetvalue) getvalue = nullptr;
  decltype(&PQgetlength) getlength = nullptr;
  decltype(&PQgetisnull) getisnull = nullptr;
  decltype(&PQnfields) nfields = nullptr;
  decltype(&PQclear) clear = nullptr;
};

Functions f;
std::string load_error;
std::once_flag loaded;

template <typename T>
bool Resolve(void* library, const char* name, T& out) {
  out = reinterpret_cast<T>(dlsym(library, name));
  if (!out) load_error = std::string("libpq has no ") + name;
  return out != nullptr;
}

void LoadOnce() {
  void* library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* why = dlerror();
    load_error = std::string(
                     "the PostgreSQL client library (libpq.so.5, Debian's libpq5) cannot "
                     "be loaded: ") +
                 (why ? why : "unknown reason");
    return;
  }
  // The library stays loaded for the life of the process.
  Resolve(library, "PQconnectdb", f.connectdb) && Resolve(library, "PQstatus", f.status) &&
      Resolve(library, "PQerrorMessage", f.errorMessage) &&
      Resolve(library, "PQfinish", f.finish) && Resolve(library, "PQreset", f.reset) &&
      Resolve(library, "PQsetNoticeProcessor", f.setNoticeProcessor) &&
      Resolve(library, "PQexec", f.exec) && Resolve(library, "PQexecParams", f.execParams) &&
      Resolve(library, "PQprepare", f.prepare) &&
      Resolve(library, "PQexecPrepared", f.execPrepared) &&
      Resolve(library, "PQresultStatus", f.resultStatus) &&
      Resolve(library, "PQresultErrorField", f.resultErrorField) &&
      Resolve(library, "PQntuples", f.ntuples) && Resolve(library, "PQgetvalue", f.getvalue) &&
      Resolve(library, "PQgetlength", f.getlength) &&
      Resolve(library, "PQgetisnull", f.getisnull) && Resolve(library, "PQnfields", f.nfields) &&
      Resolve(library, "PQclear", f.clear);
}

}  // namespace

std::string Load() {
  std::call_once(loaded, LoadOnce);
  return load_error;
}

PGconn* connectdb(const char* conninfo) { return f.connectdb(conninfo); }
ConnStatusType status(const PGconn* conn) { return f.status(conn); }
char* errorMessage(const PGconn* conn) { return f.errorMessage(conn); }
void finish(PGconn* conn) { f.finish(conn); }
void reset(PGconn* conn) { f.reset(conn); }
PQnoticeProcessor setNoticeProcessor(PGconn* conn, PQnoticeProcessor proc, void* arg) {
  return f.setNoticeProcessor(conn, proc, arg);
}
PGresult* exec(PGconn* conn, const char* query) { return f.exec(conn, query); }
PGresult* execParams(PGconn* conn, const char* command, int n_params, const Oid* types,
                     const char* const* values, const int* lengths, const int* formats,
                     int result_format) {
  return f.execParams(conn, command, n_params, types, values, lengths, formats, result_format);
}
PGresult* prepare(PGconn* conn, const char* name, const char* query, int n_params,
                  const Oid* types) {
  return f.prepare(conn, name, query, n_params, types);
}
PGresult* execPrepared(PGconn* conn, const char* name, int n_params, const char* const* values,
                       const int* lengths, const int* formats, int result_format) {
  return f.execPrepared(conn, name, n_params, values, lengths, formats, result_format);
}
ExecStatusType resultStatus(const PGresult* res) { return f.resultStatus(res); }
char* resultErrorField(const PGresult* res, int field) { return f.resultErrorField(res, field); }
int ntuples(const PGresult* res) { return f.ntuples(res); }
char* getvalue(const PGresult* res, int row, int column) { return f.getvalue(res, row, column); }
int getlength(const PGresult* res, int row, int column) { return f.getlength(res, row, column); }
int getisnull(const PGresult* res, int row, int column) { return f.getisnull(res, row, column); }
int nfields(const PGresult* res) { return f.nfields(res); }
void clear(PGresult* res) { f.clear(res); }

}  // namespace assure::store::pq
