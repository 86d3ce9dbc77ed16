// libpq, loaded when first needed rather than linked: its dependencies (Kerberos, LDAP, TLS)
// cost every process start several milliseconds, and most commands never touch PostgreSQL.
// The functions keep libpq's signatures; call Load() first. Private to the store module.
#pragma once

#include <libpq-fe.h>

#include <string>

namespace assure::store::pq {

// Loads libpq (libpq.so.5) once. Returns an empty string on success, or why it failed.
std::string Load();

PGconn* connectdb(const char* conninfo);
ConnStatusType status(const PGconn* conn);
char* errorMessage(const PGconn* conn);
void finish(PGconn* conn);
void reset(PGconn* conn);
PQnoticeProcessor setNoticeProcessor(PGconn* conn, PQnoticeProcessor proc, void* arg);
PGresult* exec(PGconn* conn, const char* query);
PGresult* execParams(PGconn* conn, const char* command, int n_params, const Oid* types,
                     const char* const* values, const int* lengths, const int* formats,
                     int result_format);
PGresult* prepare(PGconn* conn, const char* name, const char* query, int n_params,
                  const Oid* types);
PGresult* execPrepared(PGconn* conn, const char* name, int n_params, const char* const* values,
                       const int* lengths, const int* formats, int result_format);
ExecStatusType resultStatus(const PGresult* res);
char* resultErrorField(const PGresult* res, int field);
int ntuples(const PGresult* res);
char* getvalue(const PGresult* res, int row, int column);
int getlength(const PGresult* res, int row, int column);
int getisnull(const PGresult* res, int row, int column);
int nfields(const PGresult* res);
void clear(PGresult* res);

}  // namespace assure::store::pq
