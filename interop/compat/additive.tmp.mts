import { makeExampleRepo, editProto } from "./example-repo.js";
const repo = await makeExampleRepo();
editProto(repo, (t) => t
  .replace("repeated string tags = 2;", "repeated string tags = 2;\n  string email = 3;")
  .replace("int32 longitude = 2;", "int32 longitude = 2;\n  int32 altitude = 3;")
  .replace("bytes blob = 8;", "bytes blob = 8;\n    string url = 10;")
  .replace("map<string, string> labels = 6;", "map<string, string> labels = 6;\n  map<string, Point> places = 11;\n  repeated Author reviewers = 12;"));
console.log(repo);
