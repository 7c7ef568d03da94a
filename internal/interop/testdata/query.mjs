// query.mjs SQL: run one DuckDB query and print its rows as JSON (numbers as strings).
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const result = await con.runAndReadAll(process.argv[2]);
process.stdout.write(JSON.stringify(result.getRowObjectsJson()));
