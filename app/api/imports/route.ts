import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseBody, route } from "@/lib/http/route";
import { createImportJob, listImportJobs } from "@/lib/imports/jobs";
import { ImportFileError, parseImportFile } from "@/lib/imports/parse";
import { MAX_IMPORT_FILE_BYTES, UploadImportInput } from "@/lib/imports/schemas";
import { getPartnerClient } from "@/lib/partner-api";

/** The imports of the caller (managers: everyone's), newest first. */
export const GET = route("onboarding.write", async ({ user }) => ({ jobs: await listImportJobs(await getDb(), user) }));

/** Upload: the file is read, its columns guessed and every row checked; a draft job to review. Nothing is sent. */
export const POST = route("onboarding.write", async ({ request, user }) => {
  const base64Length = Math.ceil((MAX_IMPORT_FILE_BYTES * 4) / 3) + 4;
  const input = await parseBody(request, UploadImportInput, { longFields: new Set(["contentBase64"]), maxLongLength: base64Length }, { maxBytes: base64Length + 4_096 });
  const bytes = Buffer.from(input.contentBase64, "base64");
  if (bytes.byteLength > MAX_IMPORT_FILE_BYTES) throw new AppError(413, "too_large", "The file is larger than 30 MB.", { fieldErrors: { file: ["tooLarge"] } });
  let file;
  try {
    file = await parseImportFile(new Uint8Array(bytes), input.fileName);
  } catch (error) {
    if (error instanceof ImportFileError) throw new AppError(400, "import_file", error.message, { fieldErrors: { file: [error.code] } });
    throw error;
  }
  return { job: await createImportJob(await getDb(), getPartnerClient(), user, { fileName: input.fileName, headers: file.headers, rows: file.rows }) };
});
