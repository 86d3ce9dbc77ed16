#include "cli/cli.hpp"

#include <CLI/CLI.hpp>

#include "cli/common.hpp"
#include "cli/heap.hpp"
#include "cli/operations_commands.hpp"
#include "cli/store_commands.hpp"
#include "core/catalogue.hpp"
#include "core/checks.hpp"
#include "load/arrangements_yaml.hpp"
#include "load/catalogue_yaml.hpp"
#include "load/findings_json.hpp"
#include "load/schema.hpp"
#include "report/text.hpp"

namespace assure::cli {
namespace {

constexpr std::string_view kVersion = "0.1.0";

constexpr const char* kDescription =
    "Assure: prove that an English council's leadership arrangements for children's services\n"
    "meet the Children Act 2004 and the 2013 statutory guidance on the Director of Children's\n"
    "Services (DCS) and the Lead Member for Children's Services (LMCS).\n";

constexpr const char* kCheckFooter =
    "\nEach check gives one status:\n"
    "  pass            the arrangements meet it\n"
    "  fail            they do not; the message names the posts, people or bodies concerned\n"
    "  departure       a should or advice check fails, but a departure agreed with reasons\n"
    "                  covers it (assurance.departures); a departure never excuses a must\n"
    "  not_recorded    the file lacks a fact needed to judge; the message names the field\n"
    "  not_applicable  the check does not apply to these arrangements\n"
    "Modality: MUST (the law, or a must in the guidance), should (statutory guidance: departing\n"
    "needs clear reasons), advice (good practice, and the advice to chief executives).\n"
    "\nExamples:\n"
    "  assure check examples/twin-hatter-city.yaml\n"
    "  assure check --as-of 2018-04-01 council.yaml\n"
    "  assure check --format json examples/*.yaml > findings.json\n";

constexpr const char* kFooter =
    "\nExamples:\n"
    "  assure check examples/twin-hatter-city.yaml        findings, grouped by status\n"
    "  assure check --as-of 2018-04-01 council.yaml        and next April?\n"
    "  assure check --format json a.yaml b.yaml            for scripts (a JSON array)\n"
    "  assure explain dcs.reports-to-ceo                   a check and the guidance it quotes\n"
    "  assure catalogue --format csv > matrix.csv          the compliance table, for a "
    "spreadsheet\n"
    "  assure catalogue show p7.dcs-not-chief-executive    one duty in full\n"
    "  assure schema > arrangements.schema.json            JSON Schema for your editor\n"
    "  assure import examples/*.yaml --reason \"Initial load\"   record them in assure.db\n"
    "  assure history wexbridge                            every change, who, when and why\n"
    "  assure verify                                       is the history intact?\n"
    "  assure backup --to copy.db                          a copy while the server runs\n"
    "\nRun 'assure COMMAND --help' for a command's options. The arrangements file format is\n"
    "described in docs/format.md ('assure schema --format markdown').\n";

const Catalogue* CatalogueOrReport(std::ostream& err) {
  const Result<Catalogue>& c = load::BuiltInCatalogue();
  if (!c.ok()) {
    for (const Error& e : c.errors()) err << e.ToString() << "\n";
    return nullptr;
  }
  return &c.value();
}

struct CheckOptions {
  std::vector<std::string> files;
  std::string format = "text";
  std::string as_of;
  std::string colour = "auto";
};

int RunCheck(const CheckOptions& options, std::ostream& out, std::ostream& err,
             const Terminal& terminal) {
  std::optional<Date> as_of;
  if (!options.as_of.empty()) {
    as_of = Date::Parse(options.as_of);
    if (!as_of) {
      err << "assure check: --as-of '" << options.as_of
          << "' is not a date: write a real calendar day as YYYY-MM-DD\n";
      return kExitErrors;
    }
  }
  PrepareHeapFor(TotalFileSize(options.files));
  bool had_errors = false;
  bool failed = false;
  std::vector<CheckReport> reports;
  std::vector<std::string> names;
  for (const std::string& file : options.files) {
    Result<Arrangements> loaded = load::LoadArrangementsFile(file);
    if (!loaded.ok()) {
      for (const Error& e : loaded.errors()) err << e.ToString() << "\n";
      err << file << ": " << loaded.errors().size()
          << (loaded.errors().size() == 1 ? " error" : " errors") << "; nothing was checked\n";
      had_errors = true;
      continue;
    }
    const Arrangements& a = loaded.value();
    CheckReport report = RunChecks(a, as_of.value_or(a.authority.as_of));
    // Warnings go to stderr beside errors, so that the report on stdout stays the findings; in
    // JSON they are in each report's `warnings`.
    if (options.format != "json") {
      for (const Warning& w : report.warnings) {
        err << file << ": warning: " << w.field << ": " << w.message << " [" << w.code << "]\n";
      }
    }
    for (const Finding& f : report.findings) {
      if (f.status == Status::kFail &&
          (f.modality == Modality::kMust || f.modality == Modality::kShould)) {
        failed = true;
      }
    }
    reports.push_back(std::move(report));
    names.push_back(a.authority.name);
  }
  if (options.format == "json") {
    if (options.files.size() == 1) {
      if (!reports.empty()) out << load::ReportToJson(reports.front());
    } else {
      out << load::ReportsToJson(reports);
    }
  } else {
    report::TextOptions text;
    text.colour = options.colour == "always" ||
                  (options.colour == "auto" && terminal.out_is_tty && !terminal.no_colour);
    for (size_t i = 0; i < reports.size(); ++i) {
      if (i > 0) out << "\n";
      text.name = names[i];
      out << report::CheckReportText(reports[i], text);
    }
  }
  if (had_errors) return kExitErrors;
  return failed ? kExitProblems : kExitOk;
}

}  // namespace

int Run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err, const Terminal& terminal) {
  CLI::App app{kDescription, "assure"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(kVersion));
  app.get_formatter()->column_width(34);

  CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand(
      "check",
      "Run the structural checks over arrangements files. Exit code: 0 when no must or should "
      "check fails, 1 when one does, 2 when a file cannot be read or has errors (each printed "
      "as FILE:LINE:COL: message).");
  check_cmd->footer(kCheckFooter);
  check_cmd->add_option("FILE", check.files, "Arrangements files (YAML, see docs/format.md)")
      ->required();
  check_cmd->add_option("--format", check.format, "Output: text (for people) or json (scripts)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  check_cmd->add_option("--as-of", check.as_of,
                        "Judge as on this date (YYYY-MM-DD) instead of the file's as_of; "
                        "reviews, changes and departures after it are ignored");
  check_cmd
      ->add_option("--colour,--color", check.colour,
                   "Colour the text output: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();

  std::string catalogue_format = "text";
  CLI::App* catalogue_cmd = app.add_subcommand(
      "catalogue", "List the duties of the 2013 guidance, as text, JSON or a CSV compliance table");
  catalogue_cmd->add_option("--format", catalogue_format, "text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}))
      ->capture_default_str();
  catalogue_cmd->footer(
      "\nExamples:\n  assure catalogue\n  assure catalogue --format csv > compliance.csv\n"
      "  assure catalogue show p7.dcs-not-chief-executive\n");
  std::string duty_id;
  CLI::App* show_cmd = catalogue_cmd->add_subcommand("show", "Print one duty in full");
  show_cmd->footer("\nExample:\n  assure catalogue show p7.dcs-not-chief-executive\n");
  show_cmd->add_option("ID", duty_id, "A duty id, as 'assure catalogue' lists them")->required();

  std::string check_id;
  CLI::App* explain_cmd = app.add_subcommand(
      "explain", "Print a check, the paragraphs it cites and their words (no CHECK: list them)");
  explain_cmd->footer("\nExamples:\n  assure explain\n  assure explain dcs.not-ceo\n");
  explain_cmd->add_option("CHECK", check_id, "A check id, such as dcs.reports-to-ceo");

  std::string schema_format = "json";
  CLI::App* schema_cmd = app.add_subcommand(
      "schema", "Print the arrangements file's JSON Schema, or its reference as Markdown");
  schema_cmd->footer(
      "\nExamples:\n  assure schema > arrangements.schema.json\n"
      "  assure schema --format markdown > format.md\n");
  schema_cmd->add_option("--format", schema_format, "json (JSON Schema) or markdown")
      ->check(CLI::IsMember({"json", "markdown"}))
      ->capture_default_str();

  StoreOptions store_options;
  store_options.user = terminal.user.empty() ? "command line" : terminal.user;
  const StoreCommands store_commands = AddStoreCommands(app, store_options);
  const OperationsCommands operations = AddOperationsCommands(app, store_options);

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitErrors;
  }

  if (check_cmd->parsed()) return RunCheck(check, out, err, terminal);
  if (const int code = RunStoreCommand(store_commands, store_options, in, out, err); code >= 0) {
    return code;
  }
  if (const int code = RunOperationsCommand(operations, store_options, out, err); code >= 0) {
    return code;
  }

  if (catalogue_cmd->parsed()) {
    const Catalogue* c = CatalogueOrReport(err);
    if (!c) return kExitErrors;
    if (show_cmd->parsed()) {
      const Duty* d = c->FindDuty(duty_id);
      if (!d) {
        err << "assure catalogue show: no duty '" << duty_id
            << "'; 'assure catalogue' lists the ids\n";
        return kExitErrors;
      }
      out << report::DutyText(*c, *d);
      return kExitOk;
    }
    if (catalogue_format == "json") {
      out << load::CatalogueToJson(*c);
    } else if (catalogue_format == "csv") {
      out << report::CatalogueCsv(*c);
    } else {
      out << report::CatalogueText(*c);
    }
    return kExitOk;
  }

  if (explain_cmd->parsed()) {
    const Catalogue* c = CatalogueOrReport(err);
    if (!c) return kExitErrors;
    if (check_id.empty()) {
      for (const CheckInfo& info : Checks()) {
        out << info.id << std::string(40 - std::min<size_t>(39, info.id.size()), ' ')
            << NameOf(info.modality) << std::string(8 - NameOf(info.modality).size(), ' ')
            << info.title << "\n";
      }
      out << "\n" << report::RefLegendText();
      return kExitOk;
    }
    const CheckInfo* info = FindCheck(check_id);
    if (!info) {
      err << "assure explain: no check '" << check_id
          << "'; 'assure explain' with no argument lists them\n";
      return kExitErrors;
    }
    out << report::ExplainText(*c, *info);
    return kExitOk;
  }

  if (schema_cmd->parsed()) {
    out << (schema_format == "markdown" ? load::ArrangementsFormatReference()
                                        : load::ArrangementsJsonSchema());
    return kExitOk;
  }
  return kExitErrors;
}

}  // namespace assure::cli
