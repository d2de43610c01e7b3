import { redirect } from "next/navigation";

// The spaces list is where every task starts.
export default function Home() {
  redirect("/spaces");
}
